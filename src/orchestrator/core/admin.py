"""Django admin for staff, read-only: every change goes through a service and the audit chain."""

from django.contrib import admin

from .models import AuditEvent, Document, Item, Link, Triage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin that shows, and never writes: services are the only way in."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["uid", "kind", "title", "visibility", "status", "owner", "updated_at"]
    list_filter = ["kind", "visibility", "status"]
    search_fields = ["uid", "title"]


@admin.register(Document)
class DocumentAdmin(ItemAdmin):
    pass


@admin.register(Triage)
class TriageAdmin(ReadOnlyAdmin):
    list_display = ["item", "outcome", "by", "at", "review_by"]
    list_filter = ["outcome"]


@admin.register(Link)
class LinkAdmin(ReadOnlyAdmin):
    list_display = ["source", "relation", "target", "created_at"]
    list_filter = ["relation"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor", "action", "item_uid"]
    list_filter = ["action"]
    search_fields = ["item_uid", "hash"]
