"""App configuration for decision making."""

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "orchestrator.decisions"
    label = "decisions"
    verbose_name = "Decision making"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
