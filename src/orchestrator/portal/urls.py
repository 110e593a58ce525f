"""URLs of the portal."""

from django.urls import path

from . import browse, following, guidance, measures, pwa, statements, views
from .feeds import changes_feed, kind_feed, topic_feed
from .opendata import (
    catalog_jsonld,
    catalog_ttl,
    data_page,
    item_json,
    items_csv,
    items_jsonl,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("measures", measures.measures, name="measures"),
    path("k/new", views.item_create, name="item-create"),
    path("k/<str:uid>.json", item_json, name="item-json"),
    path("k/<str:uid>", views.item_detail, name="item"),
    path("k/<str:uid>/edit", views.item_edit, name="item-edit"),
    path("k/<str:uid>/triage", views.item_triage, name="item-triage"),
    path("k/<str:uid>/publish", views.item_publish, name="item-publish"),
    path("k/<str:uid>/archive", views.item_archive, name="item-archive"),
    path("k/<str:uid>/links", views.item_link, name="item-link"),
    path("k/<str:uid>/topics", browse.item_topics, name="item-topics"),
    path("search", views.search_page, name="search"),
    path("browse", browse.browse, name="browse"),
    path("follow", following.follow, name="follow"),
    path("account/following", following.following_page, name="following"),
    path("guidance", guidance.guidance, name="guidance"),
    path("quality", guidance.quality_queue, name="quality"),
    path("quality/<str:uid>/escalate", guidance.escalate, name="quality-escalate"),
    path("kinds/<str:kind>", browse.kind_page, name="kind"),
    path("organisations/<slug:slug>", browse.organisation_page, name="organisation"),
    path("recent", browse.recent, name="recent"),
    path("topics", browse.topic_list, name="topics"),
    path("topics/new", browse.topic_create, name="topic-create"),
    path("topics/<slug:slug>", browse.topic_page, name="topic"),
    path("topics/<slug:slug>/edit", browse.topic_edit, name="topic-edit"),
    path("data/", data_page, name="data"),
    path("data/items.jsonl", items_jsonl, name="data-items-jsonl"),
    path("data/items.csv", items_csv, name="data-items-csv"),
    path("data/catalog.ttl", catalog_ttl, name="data-catalog-ttl"),
    path("data/catalog.jsonld", catalog_jsonld, name="data-catalog-jsonld"),
    path("feeds/changes.atom", changes_feed, name="feed-changes"),
    path("feeds/kinds/<str:kind>.atom", kind_feed, name="feed-kind"),
    path("feeds/topics/<slug:slug>.atom", topic_feed, name="feed-topic"),
    path("withheld", views.withheld, name="withheld"),
    path("audit", views.audit_log, name="audit"),
    path("audit.jsonl", views.audit_jsonl, name="audit-jsonl"),
    path("accessibility", statements.accessibility, name="accessibility"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline", pwa.offline, name="offline"),
]
