"""Helpers for the open-data tests: reading streamed bodies, API tokens for personas."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from orchestrator.api.services import create_token


def body(response) -> bytes:
    """The whole body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def jsonl(response) -> list[dict]:
    return [json.loads(line) for line in body(response).decode().splitlines()]


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).decode(), newline="")))


def token_for(user) -> str:
    _, token = create_token(actor=user, name="open data")
    return token


def get(path: str, user=None, **headers):
    """GET as `user`'s API token (anonymous for None), from a client with no session."""
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    return Client().get(path, **headers)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://skb.example.org"
    return settings.SITE_URL
