"""URLs of the plan."""

from django.urls import path

from . import views, views_raid, views_roadmap

app_name = "planning"
urlpatterns = [
    path("planning/objectives/new", views.new_objective, name="new-objective"),
    path("planning/metrics/new", views.new_metric, name="new-metric"),
    path("k/<str:uid>/measurements/new", views.measure, name="measure"),
    path("planning/investments/new", views.new_investment, name="new-investment"),
    path("planning/milestones/new", views.new_milestone, name="new-milestone"),
    path("planning/<str:kind>/new", views.new_raid_entry, name="new-raid-entry"),
    path("k/<str:uid>/features/new", views.new_feature, name="new-feature"),
    path("k/<str:uid>/depends-on", views.add_dependency, name="add-dependency"),
    # Not `k/<uid>/designate`: that is an architecture element's designation.
    path(
        "k/<str:uid>/designate-investment",
        views.designate_investment,
        name="designate-investment",
    ),
    path("responsibilities", views.responsibilities, name="responsibilities"),
    path("responsibilities/activities/new", views.new_activity, name="new-activity"),
    path("responsibilities/activities/<int:activity>", views.assign, name="assign"),
    path(
        "responsibilities/activities/<int:activity>/parts/<int:assignment>/remove",
        views.unassign,
        name="unassign",
    ),
    path("roadmap", views_roadmap.roadmap, name="roadmap"),
    path("raid", views_raid.raid_log, name="raid"),
    path("raid/escalations", views_raid.escalations, name="escalations"),
    path("raid/escalations/<int:escalation_id>/respond", views_raid.respond, name="respond"),
    path("raid/log/<str:uid>", views_raid.log_submission, name="log-submission"),
    path("k/<str:uid>/escalate", views_raid.escalate, name="escalate"),
    path("plan", views.plan, name="plan"),
    path("plan/versions/new", views.new_plan_version, name="new-plan-version"),
    path("plan/compare", views.compare_plan, name="compare-plan"),
]
