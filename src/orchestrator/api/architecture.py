"""The enterprise architecture in the API: models, elements, relationships, states and gap analysis."""

from ninja import Router

router = Router(tags=["architecture"])
