"""Markdown rendering, sanitised: records are written by many hands and read by everyone."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# GOV.UK Frontend styles come from classes, so each tag gets its class after sanitising.
GOVUK_CLASSES = {
    "p": "govuk-body",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}


def render_markdown(source: str) -> SafeString:
    """Markdown to HTML that cannot carry scripts, styles or event handlers."""
    html = markdown.markdown(source or "", extensions=["tables", "fenced_code", "sane_lists"])
    # Headings in a record's body sit under the page's own h1, so h1 becomes h2.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={tag: {"class": cls} for tag, cls in GOVUK_CLASSES.items()},
    )
    return mark_safe(clean)
