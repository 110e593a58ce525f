"""Django admin for submissions, read-only: they change through the engagement services."""

from django.contrib import admin

from orchestrator.core.admin import ItemAdmin

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(ItemAdmin):
    list_display = ["uid", "title", "category", "state", "status", "visibility", "created_at"]
    list_filter = ["category", "state", "status"]
