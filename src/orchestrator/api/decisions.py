"""Decision making in the API: the schedule, a decision with its process, and each step of it."""

from __future__ import annotations

from ninja import Router

from .api import RequireToken

router = Router(tags=["decisions"], auth=RequireToken())
