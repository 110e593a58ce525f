"""URLs of the enterprise and solution architecture."""

from . import views, views_exchange, views_map, views_solution

app_name = "architecture"
urlpatterns = [*views.urls, *views_exchange.urls, *views_map.urls, *views_solution.urls]
