"""App configuration for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orchestrator.core"
    label = "core"
    verbose_name = "Records, triage and audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
