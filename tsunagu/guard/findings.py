"""What the guard reports: findings with a kind and a span, and the verdict they lead to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["contact", "solicit", "clean"]

# Concrete outside contact details.
CONTACT_KINDS = frozenset(
    {
        "email",
        "phone",
        "line",
        "skype",
        "chatwork",
        "discord",
        "telegram",
        "wechat",
        "whatsapp",
        "instagram",
        "x",
        "facebook",
        "kakao",
        "tiktok",
        "slack",
        "social_handle",
        "website",
        "short_link",
        "meeting_link",
    }
)
# Requests to move talk or payment off the platform, or to work before the escrow is funded.
SOLICIT_KINDS = frozenset({"solicit_contact", "solicit_payment", "solicit_no_escrow"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found: ``text == original[start:end]``."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def is_contact(self) -> bool:
        return self.kind in CONTACT_KINDS

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class ScanResult:
    verdict: Verdict
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict, "findings": [f.as_dict() for f in self.findings]}


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> Verdict:
    """Contact details outrank solicitation, which outranks nothing."""
    if any(f.kind in CONTACT_KINDS for f in findings):
        return "contact"
    if any(f.kind in SOLICIT_KINDS for f in findings):
        return "solicit"
    return "clean"


# A detector reports spans of the view: (kind, start, end).
Hit = tuple[str, int, int]
