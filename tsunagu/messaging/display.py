"""How messaging things are shown: guard findings highlighted and named, task due times."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tsunagu.messaging.models import Task

KIND_LABELS: dict[str, Promise] = {
    "email": _("e-mail address"),
    "phone": _("phone number"),
    "line": _("LINE ID"),
    "skype": _("Skype ID"),
    "chatwork": _("Chatwork ID"),
    "discord": _("Discord ID"),
    "telegram": _("Telegram ID"),
    "wechat": _("WeChat ID"),
    "whatsapp": _("WhatsApp number"),
    "instagram": _("Instagram account"),
    "x": _("X (Twitter) account"),
    "facebook": _("Facebook account"),
    "kakao": _("KakaoTalk ID"),
    "tiktok": _("TikTok account"),
    "slack": _("Slack workspace"),
    "social_handle": _("social media handle"),
    "website": _("link to a website"),
    "short_link": _("shortened link"),
    "meeting_link": _("video meeting link"),
    "solicit_contact": _("request to talk outside Tsunagu"),
    "solicit_payment": _("request to pay outside Tsunagu"),
    "solicit_no_escrow": _("request to work before the escrow is funded"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, _("outside contact detail")))


def finding_labels(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The distinct kinds found, named for people, in the order they appear."""
    labels: list[str] = []
    for finding in sorted(findings, key=lambda f: int(f.get("start", 0))):
        label = kind_label(str(finding.get("kind", "")))
        if label not in labels:
            labels.append(label)
    return labels


def highlight(text: str, findings: Iterable[Mapping[str, Any]]) -> SafeString:
    """``text`` escaped, with each finding's span wrapped in <mark> (overlaps merged)."""
    spans: list[list[int]] = []
    for finding in sorted(findings, key=lambda f: (int(f["start"]), int(f["end"]))):
        start = max(0, min(int(finding["start"]), len(text)))
        end = max(start, min(int(finding["end"]), len(text)))
        if end == start:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f'<mark class="guard-mark">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped above)


@dataclass(frozen=True)
class TaskRow:
    """A task with its due time in the assignee's time zone, and whether that is the viewer's."""

    task: Task
    due_local: datetime.datetime | None  # in the assignee's zone
    zone: str
    zone_differs: bool
    overdue: bool


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def task_rows(tasks: Iterable[Task], *, now: datetime.datetime | None = None) -> list[TaskRow]:
    now = now or timezone.now()
    viewer_zone = timezone.get_current_timezone_name()
    rows = []
    for task in tasks:
        name = task.assignee.time_zone or viewer_zone
        zone = _zone(name) or timezone.get_current_timezone()
        due = task.due_at.astimezone(zone) if task.due_at else None
        rows.append(
            TaskRow(
                task=task,
                due_local=due,
                zone=name,
                zone_differs=name != viewer_zone,
                overdue=bool(task.due_at and task.done_at is None and task.due_at < now),
            )
        )
    return rows
