"""The accessibility statement at /accessibility: the sections the accessibility regulations ask for,
the contact address from settings, and a link to it from every page."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from orchestrator.conf import env_email

SECTIONS = [
    "Accessibility statement for Orchestrator",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_accessibility_statement_has_the_sections_the_regulations_ask_for(client, db):
    response = client.get("/accessibility")
    assert response.status_code == 200
    headings = [
        re.sub(r"<[^>]+>", "", h).replace("&#x27;", "'").strip()
        for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", response.text)
    ]
    for section in SECTIONS:
        assert section in headings, section
    text = response.text
    assert (
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018"
        in text
    )
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Web Content Accessibility Guidelines version 2.2" in text and "AA standard" in text
    assert "axe-core" in text
    assert re.search(r"This statement was prepared on \d{1,2} \w+ 20\d\d\.", text)


def test_the_accessibility_statement_names_the_contact_from_settings(client, db, settings):
    assert 'href="mailto:accessibility@orchestrator.invalid"' in client.get("/accessibility").text
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    text = client.get("/accessibility").text
    assert 'href="mailto:access@example.org"' in text
    assert 'href="mailto:access@example.org?subject=Accessibility%20problem"' in text


def test_the_statement_only_answers_reads(client, db):
    assert client.post("/accessibility").status_code == 405


def test_every_page_links_the_accessibility_statement_from_its_footer(client, db):
    for path in ("/", "/search", "/accessibility", "/no-such-page"):
        footer = client.get(path).text.split('<footer class="govuk-footer">', 1)[1]
        assert 'href="/accessibility">Accessibility statement</a>' in footer, path


def test_the_contact_address_setting_is_checked(monkeypatch):
    monkeypatch.delenv("ACCESSIBILITY_CONTACT_EMAIL", raising=False)
    assert env_email("ACCESSIBILITY_CONTACT_EMAIL", "a@b.invalid") == "a@b.invalid"
    monkeypatch.setenv("ACCESSIBILITY_CONTACT_EMAIL", " access@example.org ")
    assert env_email("ACCESSIBILITY_CONTACT_EMAIL", "a@b.invalid") == "access@example.org"
    monkeypatch.setenv("ACCESSIBILITY_CONTACT_EMAIL", "not an address")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_CONTACT_EMAIL='not an address'"):
        env_email("ACCESSIBILITY_CONTACT_EMAIL", "a@b.invalid")
