"""Strict parsing of settings from the environment: a bad value stops start-up, naming the variable."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from `NAME`, or from the file named by `NAME_FILE` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [part.strip() for part in raw.split(",")]
    if any(not part or " " in part for part in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a comma-separated list of host names (no blanks, no spaces)."
        )
    return items


def env_email(name: str, default: str) -> str:
    """An e-mail address from `NAME`: checked, so that a typo stops start-up, not a reader's e-mail."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an e-mail address; use one such as name@example.org."
        ) from None
    return value


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = raw.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: use sqlite:///PATH or postgres://USER@HOST:PORT/NAME."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name}={raw!r} names no SQLite file.")
        config["OPTIONS"] = {
            # Write transactions take the lock at BEGIN, so the audit chain's head is read and
            # written under one lock; WAL lets readers carry on meanwhile.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
        }
        config["TEST"] = {"NAME": None}
    else:
        # PostgreSQL compiles a query with JIT once its estimated cost is high, as the counts of a
        # paginated list of tens of thousands of records are: compiling costs 10–40 ms a query
        # and saves nothing on queries that run in milliseconds (docs/performance.md).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config
