"""URLs of decision making: the schedule, its calendar, and each step of a decision's process."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("decisions", views.schedule, name="schedule"),
]
