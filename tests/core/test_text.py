from __future__ import annotations

from tsunagu.core.text import has_markup, plain_text, render_markdown


def test_markdown_keeps_formatting_and_drops_scripts() -> None:
    html = render_markdown("**太字** and [link](https://example.com)\n\n<script>alert(1)</script>")
    assert "<strong>太字</strong>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<script" not in html
    assert "alert(1)" not in html or "&lt;" in html


def test_event_handlers_and_javascript_links_are_removed() -> None:
    html = render_markdown('<img src=x onerror="alert(1)"> [x](javascript:alert(1))')
    assert "onerror" not in html
    assert "javascript:" not in html


def test_plain_text_and_markup_detection() -> None:
    assert plain_text("  <b>山田</b> ") == "山田"
    assert has_markup("<script>x</script>山田")
    assert not has_markup("山田 & Co.")
