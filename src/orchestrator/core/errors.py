"""Errors raised by services, which views, the API and the CLI turn into messages and statuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

if TYPE_CHECKING:
    from .models import Item

__all__ = ["Conflict", "PermissionDenied", "StaleVersion", "ValidationError"]


class Conflict(Exception):
    """The change cannot be made in the record's present state (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleVersion(Conflict):
    """Someone else changed the record since the editor loaded it; nothing was overwritten."""

    def __init__(self, current: Item, given: int) -> None:
        super().__init__(
            f"This record was changed by someone else (now version {current.version}, "
            f"you edited version {given}). Your changes have not been saved; "
            "review the newer version and apply them again."
        )
        self.current = current
        self.given = given
