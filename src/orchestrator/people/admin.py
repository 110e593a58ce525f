"""Django admin for people, read-only: appointments and registrations go through services."""

from django.contrib import admin

from orchestrator.core.admin import ItemAdmin, ReadOnlyAdmin

from .models import Appointment, Declaration, Organisation, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "sector"]
    list_filter = ["kind", "sector"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "organisation", "start", "end", "chair"]
    list_filter = ["role"]


@admin.register(Declaration)
class DeclarationAdmin(ItemAdmin):
    pass
