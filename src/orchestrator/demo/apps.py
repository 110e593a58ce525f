"""App configuration for the demo dataset."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "orchestrator.demo"
    label = "demo"
    verbose_name = "Demo dataset"
