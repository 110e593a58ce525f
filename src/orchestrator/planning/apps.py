"""App configuration for planning."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "orchestrator.planning"
    label = "planning"
    verbose_name = "Strategic planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
