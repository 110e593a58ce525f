"""App configuration for the enterprise and solution architecture."""

from django.apps import AppConfig


class ArchitectureConfig(AppConfig):
    name = "orchestrator.architecture"
    label = "architecture"
    verbose_name = "Enterprise and solution architecture"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
