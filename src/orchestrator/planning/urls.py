"""URLs of the plan."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("planning/objectives/new", views.new_objective, name="new-objective"),
    path("planning/metrics/new", views.new_metric, name="new-metric"),
    path("k/<str:uid>/measurements/new", views.measure, name="measure"),
]
