"""User-written text: a safe markdown subset rendered to HTML and sanitised with nh3."""

from __future__ import annotations

import html

import markdown as _markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to show on any page: no scripts, styles or handlers."""
    html = _markdown.markdown(source or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(value: str) -> str:
    """Strip every tag from a short single-line value (names, headlines)."""
    return html.unescape(nh3.clean(value or "", tags=set())).strip()


def has_markup(value: str) -> bool:
    """True when a single-line value contains HTML tags that sanitising would remove."""
    return plain_text(value) != (value or "").strip()
