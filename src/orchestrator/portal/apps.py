"""App configuration for the portal."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "orchestrator.portal"
    label = "portal"
    verbose_name = "Shared Knowledge Base portal"
