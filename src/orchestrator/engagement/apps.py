"""App configuration for engagement."""

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "orchestrator.engagement"
    label = "engagement"
    verbose_name = "Engagement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
