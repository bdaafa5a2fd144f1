"""Who may see a question: the one place that narrows questions to their audience.

A question that staff have not hidden is public unless a registered rule narrows it. Community-
only questions (asked inside a community, seen by its active members only) are such a rule:
:func:`tsunagu.qa.membership.members_only`, registered from ``QaConfig.ready``, the way apps feed
trust through ``trust.sources``::

    from tsunagu.qa.audience import audience_rule_register

    def members_only(questions, viewer):  # a QuerySet of Question and the viewer (or None)
        return questions.filter(Q(community__isnull=True) | Q(community__in=...))

    audience_rule_register("communities", members_only)

Every read in :mod:`tsunagu.qa.selectors` (list, search, detail, profile counts, trust
contributions) goes through :func:`visible_questions`, so a registered rule applies to pages, the
API and search alike; a question outside the viewer's audience is answered as "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from tsunagu.qa.models import Question

AudienceRule = Callable[["QuerySet[Question]", Any], "QuerySet[Question]"]

_rules: dict[str, AudienceRule] = {}


def audience_rule_register(name: str, rule: AudienceRule) -> None:
    """Register (or replace, by ``name``) a rule narrowing the questions a viewer may see."""
    _rules[name] = rule


def audience_rule_unregister(name: str) -> None:
    _rules.pop(name, None)


def visible_questions(questions: QuerySet[Question], viewer: Any) -> QuerySet[Question]:
    """``questions`` without the hidden ones and narrowed by every registered rule.

    ``viewer`` is the signed-in user or ``None`` (or an anonymous user) for a visitor. Staff see
    hidden questions too (to moderate them), but every audience rule still applies.
    """
    if not getattr(viewer, "is_staff", False):
        questions = questions.filter(hidden_at__isnull=True)
    for name in sorted(_rules):
        questions = _rules[name](questions, viewer)
    return questions
