"""URLs of the portal."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("k/new", views.item_create, name="item-create"),
    path("k/<str:uid>", views.item_detail, name="item"),
    path("k/<str:uid>/edit", views.item_edit, name="item-edit"),
    path("k/<str:uid>/triage", views.item_triage, name="item-triage"),
    path("k/<str:uid>/publish", views.item_publish, name="item-publish"),
    path("k/<str:uid>/archive", views.item_archive, name="item-archive"),
    path("k/<str:uid>/links", views.item_link, name="item-link"),
    path("search", views.search_page, name="search"),
    path("withheld", views.withheld, name="withheld"),
    path("audit", views.audit_log, name="audit"),
    path("audit.jsonl", views.audit_jsonl, name="audit-jsonl"),
]
