"""URLs of decision making: the schedule, its calendar, and each step of a decision's process."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("decisions", views.schedule, name="schedule"),
    path("decisions.ics", views.calendar, name="calendar"),
    path("decisions/new", views.new, name="new"),
    path("decisions/responses", views.responses, name="responses"),
    path("k/<str:uid>/options/new", views.option_new, name="option-new"),
    path("k/<str:uid>/evidence/new", views.evidence_new, name="evidence-new"),
    path("k/<str:uid>/affects", views.affects, name="affects"),
    path("k/<str:uid>/process/<str:move>", views.process, name="process"),
    path("k/<str:uid>/recommend", views.recommend, name="recommend"),
    path("k/<str:uid>/consolidate", views.consolidate, name="consolidate"),
    path("k/<str:uid>/consultation", views.consultation, name="consultation"),
    path("k/<str:uid>/respond", views.respond, name="respond"),
    path("k/<str:uid>/feedback-summary", views.feedback_summary, name="feedback-summary"),
    path("k/<str:uid>/decide", views.decide, name="decide"),
    path("k/<str:uid>/opinion", views.opinion, name="opinion"),
    path("k/<str:uid>/review", views.review, name="review"),
    path("k/<str:uid>/triage-response", views.triage_response, name="triage-response"),
]
