"""iCalendar (RFC 5545) files for booked interviews, with no Django in it.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); times are
UTC with a trailing ``Z``; text values escape backslashes, semicolons, commas and newlines.
"""

from __future__ import annotations

import datetime as dt

MAX_OCTETS = 75
CRLF = "\r\n"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split ``line`` into pieces of at most 75 octets; each continuation starts with a space."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # the leading space of a continuation line counts
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def utc(instant: dt.datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(
    *,
    uid: str,
    stamp: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    description: str,
    url: str = "",
    reminder_minutes: int = 15,
) -> str:
    """One VCALENDAR with one VEVENT (and a display alarm before it)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tsunagu//Interviews//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        f"TRIGGER:-PT{int(reminder_minutes)}M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF
