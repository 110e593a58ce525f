"""App configuration for people."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "orchestrator.people"
    label = "people"
    verbose_name = "People and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission predicates)
