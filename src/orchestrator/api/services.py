"""Making and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError

from .models import ApiToken

if TYPE_CHECKING:
    from orchestrator.people.models import User

TOKEN_PREFIX = "orch_"  # noqa: S105  (a label, not a secret)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so one round of SHA-256 is enough to make the stored hash useless.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; returns the record and the token, which is never shown again."""
    if not name.strip():
        raise ValidationError({"name": "Say what the token is for."})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=actor, name=name.strip(), prefix=token[:12], key_hash=hash_token(token)
    )
    audit.append(actor=actor, action="token.created", data={"token": record.pk})
    return record, token


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied("You can revoke only your own tokens.")
    if token.revoked_at is not None:
        raise Conflict("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.append(actor=actor, action="token.revoked", data={"token": token.pk})
    return token


def user_for_token(token: str) -> User | None:
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    # Written at most once a minute per token so that reads stay reads.
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
