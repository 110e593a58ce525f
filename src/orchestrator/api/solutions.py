"""Solution architectures in the API: authoring, tracing, conformance and sign-off."""

from ninja import Router

router = Router(tags=["architecture"])
