"""Settings are parsed strictly, and the `orchestrator` command does what the README says."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = secrets.token_urlsafe(50)


def _run(args: list[str], env: dict[str, str], cwd: Path, timeout: int = 180):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "DEBUG",
            "HTTPS",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "STATIC_MANIFEST",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    clean.update(env)
    return subprocess.run(
        args, env=clean, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def _orchestrator() -> str:
    return str(Path(sys.executable).with_name("orchestrator"))


def _check(env: dict[str, str], tmp_path: Path):
    return _run(
        [_orchestrator(), "manage", "check"], {"ORCHESTRATOR_VAR": str(tmp_path), **env}, tmp_path
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe'"),
        ({"HTTPS": "2"}, "HTTPS='2'"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL='mysql://x@y/z'"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL='not a url'"),
        ({"ALLOWED_HOSTS": "example.org, ,x"}, "ALLOWED_HOSTS"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five'"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "k" * 60}, "too plain"),
        ({"SECRET_KEY_FILE": "/nonexistent/key"}, "SECRET_KEY_FILE='/nonexistent/key'"),
        ({"SITE_URL": "example.org"}, "SITE_URL='example.org'"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(tmp_path, env, named):
    result = _check({"SECRET_KEY": GOOD_KEY, **env}, tmp_path)
    assert result.returncode != 0
    assert named in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_without_a_secret_key_start_up_stops_and_says_how_to_set_one(tmp_path):
    result = _check({}, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text(GOOD_KEY)  # a demo key in var/ does not count for serve
    result = _run([_orchestrator(), "serve"], {"ORCHESTRATOR_VAR": str(tmp_path)}, tmp_path)
    assert result.returncode != 0 and "refusing to start" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = _run(
        [_orchestrator(), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "orchestrator.example.org",
            "ORCHESTRATOR_VAR": str(tmp_path),
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_sets_up_loads_once_and_its_audit_chain_verifies(tmp_path):
    env = {"ORCHESTRATOR_VAR": str(tmp_path)}
    first = _run([_orchestrator(), "demo", "--no-serve"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo sign-ins" in first.stdout
    for role in (
        "Board member (chair)",
        "Organisation Leader",
        "Independent Technical Advisor",
        "Research & Engagement",
        "Design Body member",
        "Registered stakeholder",
    ):
        assert role in first.stdout
    assert (tmp_path / "secret_key").exists()
    database = tmp_path / "orchestrator.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = _run([_orchestrator(), "demo", "--no-serve"], env, tmp_path)
    assert "not loaded again" in again.stdout
    assert "Demo sign-ins" in again.stdout and "Organisation Leader" in again.stdout

    verify = _run([_orchestrator(), "audit", "verify"], env, tmp_path)
    assert verify.returncode == 0 and "intact" in verify.stdout
    with sqlite3.connect(database) as db:
        db.execute("UPDATE core_auditevent SET data = '{}' WHERE seq = 42")
    broken = _run([_orchestrator(), "audit", "verify"], env, tmp_path)
    assert broken.returncode == 1 and "seq 42" in broken.stderr


def test_postgresql_connections_run_without_jit_keeping_the_urls_own_options(monkeypatch):
    from orchestrator.conf import env_database

    monkeypatch.setenv("DB", "postgres://u@db.example.org:5432/orchestrator")
    assert env_database("DB", "")["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv(
        "DB", "postgres://u@db.example.org:5432/orchestrator?options=-c%20statement_timeout%3D5000"
    )
    assert env_database("DB", "")["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    monkeypatch.setenv("DB", "sqlite:////tmp/x.sqlite3")
    assert "options" not in env_database("DB", "")["OPTIONS"]


@pytest.mark.django_db
def test_the_database_connection_has_jit_off_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
