"""URLs for people: accounts and governance."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    path("register", views.register, name="register"),
    path("password-reset", views.ResetView.as_view(), name="password-reset"),
    path("password-reset/sent", views.ResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>",
        views.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete", views.ResetCompleteView.as_view(), name="password-reset-complete"
    ),
    path("account", views.account, name="account"),
    path("account/appointments/<int:appointment_id>/declare", views.declare, name="declare"),
    path("governance", views.governance, name="governance"),
    path("governance/appointments/new", views.appointment_create, name="appointment-create"),
    path(
        "governance/appointments/<int:appointment_id>/end",
        views.appointment_end,
        name="appointment-end",
    ),
    path("governance/organisations/new", views.organisation_create, name="organisation-create"),
]
