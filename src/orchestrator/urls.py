"""The site's URLs: the portal, people and governance, the API, and the (read-mostly) admin."""

from django.contrib import admin
from django.urls import include, path

from orchestrator.api import views as api_views
from orchestrator.api.api import api

admin.site.site_header = "Orchestrator administration"
admin.site.site_title = "Orchestrator administration"

urlpatterns = [
    path("", include("orchestrator.people.urls")),
    path("", include("orchestrator.portal.urls")),
    path("", include("orchestrator.engagement.urls")),
    path("", include("orchestrator.planning.urls")),
    path("", include("orchestrator.architecture.urls")),
    path("", include("orchestrator.decisions.urls")),
    path("api/v1/", api.urls),
    path("account/tokens", api_views.tokens, name="api-tokens"),
    path("account/tokens/<int:token_id>/revoke", api_views.revoke, name="api-token-revoke"),
    path("admin/", admin.site.urls),
]

handler404 = "orchestrator.portal.views.not_found"
handler500 = "orchestrator.portal.views.server_error"
handler403 = "orchestrator.portal.views.forbidden"
handler400 = "orchestrator.portal.views.bad_request"
