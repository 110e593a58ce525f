"""Sign in and out, registration, password reset, the account page, and the governance page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from orchestrator.core.errors import Conflict
from orchestrator.core.models import Status
from orchestrator.core.selectors import visible_items

from . import services
from .forms import (
    AppointmentForm,
    DeclarationForm,
    EndAppointmentForm,
    NewPasswordForm,
    OrganisationForm,
    RegistrationForm,
    ResetForm,
    SignInForm,
)
from .governance import checks
from .models import STAFF_ROLES, Appointment, Declaration, Organisation, Role, User
from .selectors import current_appointments


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class ResetView(auth_views.PasswordResetView):
    template_name = "people/password_reset.html"
    email_template_name = "people/password_reset_email.txt"
    subject_template_name = "people/password_reset_subject.txt"
    form_class = ResetForm
    success_url = reverse_lazy("people:password-reset-sent")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("people:password-reset-complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_user(
                email=data["email"], full_name=data["full_name"], password=data["password"]
            )
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_error(exc)
            else:
                form.add_error("password", exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. You can now read registered records.")
            return redirect("portal:home")
    return render(request, "people/register.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    appointments = (
        Appointment.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("declarations")
    )
    return render(request, "people/account.html", {"appointments": appointments})


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = (
        Appointment.objects.filter(pk=appointment_id, user=request.user)
        .select_related("organisation")
        .first()
    )
    if appointment is None:
        raise Http404("No such appointment of yours")
    form = DeclarationForm(request.POST or None, organisations=Organisation.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.declare_interests(
                actor=request.user,
                appointment=appointment,
                interests=data["interests"],
                organisations=list(data["organisations"]),
                nil_return=data["nil_return"],
            )
        except DjangoValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, "Declaration saved. Research & Engagement will triage and publish it."
            )
            return redirect(declaration)
    return render(
        request,
        "people/declare.html",
        {"form": form, "appointment": appointment},
        status=400 if request.method == "POST" else 200,
    )


def governance(request: HttpRequest) -> HttpResponse:
    """Who governs the Orchestrator, and whether the report's constraints hold today."""
    visible_declarations = Declaration.objects.filter(
        pk__in=visible_items(request.user).filter(kind=Declaration.KIND).values("pk")
    )
    appointments = list(
        Appointment.objects.current()
        .select_related("user", "organisation")
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=Declaration.objects.exclude(status=Status.DRAFT),
                to_attr="published_declarations",
            ),
            Prefetch("declarations", queryset=visible_declarations, to_attr="visible_declarations"),
        )
        .order_by("role", "-chair", "user__full_name")
    )
    by_role: dict[str, list[Appointment]] = {}
    for a in appointments:
        by_role.setdefault(a.role, []).append(a)
    sections = [
        (label, by_role.get(value, []))
        for value, label in Role.choices
        if value in STAFF_ROLES
        and value != Role.BOARD_MEMBER
        and value != Role.ORGANISATION_LEADER
        and value != Role.TECHNICAL_ADVISOR
    ]
    partners = [a for a in appointments if a.role not in STAFF_ROLES]
    return render(
        request,
        "people/governance.html",
        {
            "checks": checks(appointments),
            "board": by_role.get(Role.BOARD_MEMBER, []),
            "leaders": by_role.get(Role.ORGANISATION_LEADER, []),
            "advisors": by_role.get(Role.TECHNICAL_ADVISOR, []),
            "teams": sections,
            "partners": partners,
            "mine": current_appointments(request.user),
            "can_appoint": request.user.has_perm("people.manage_appointments"),
            "can_add_organisation": request.user.has_perm("people.manage_organisations"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.manage_appointments"):
        raise PermissionDenied(
            "Appointments are made by the Organisation Leader, Corporate or the Board."
        )
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appointee = User.objects.filter(email__iexact=data["email"]).first()
        if appointee is None:
            form.add_error("email", "No one has registered with this e-mail address.")
        else:
            try:
                services.appoint(
                    actor=request.user,
                    user=appointee,
                    role=data["role"],
                    organisation=data["organisation"],
                    start=data["start"],
                    end=data["end"],
                    chair=data["chair"],
                )
            except DjangoValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"{appointee} appointed.")
                return redirect("people:governance")
    return render(request, "people/form.html", {"form": form, "heading": "Make an appointment"})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_end(request: HttpRequest, appointment_id: int) -> HttpResponse:
    if not request.user.has_perm("people.manage_appointments"):
        raise PermissionDenied(
            "Appointments are ended by the Organisation Leader, Corporate or the Board."
        )
    appointment = (
        Appointment.objects.select_related("user", "organisation").filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise Http404("No such appointment")
    form = EndAppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_appointment(
                actor=request.user, appointment=appointment, end=form.cleaned_data["end"]
            )
        except DjangoValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Appointment of {appointment.user} ended.")
            return redirect("people:governance")
    return render(
        request,
        "people/form.html",
        {"form": form, "heading": f"End the appointment of {appointment}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.manage_organisations"):
        raise PermissionDenied("Organisations are added by Research & Engagement or Corporate.")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(actor=request.user, **form.cleaned_data)
        except DjangoValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"{org} added.")
            return redirect("people:governance")
    return render(request, "people/form.html", {"form": form, "heading": "Add an organisation"})
