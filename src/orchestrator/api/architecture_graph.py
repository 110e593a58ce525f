"""Dependency analysis in the API: neighbourhoods, impact, single points of failure and cycles."""

from ninja import Router

router = Router(tags=["architecture"])
