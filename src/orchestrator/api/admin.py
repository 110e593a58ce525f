"""Django admin for API tokens: read-only, and the hash is never shown."""

from django.contrib import admin

from orchestrator.core.admin import ReadOnlyAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
