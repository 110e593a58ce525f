"""URLs of the engagement channel."""

from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("engagement", views.take_part, name="take-part"),
    path("engagement/new", views.raise_submission, name="raise"),
    path("engagement/mine", views.mine, name="mine"),
    path("engagement/queue", views.queue, name="queue"),
    path("engagement/<str:uid>/resolve", views.resolve, name="resolve"),
]
