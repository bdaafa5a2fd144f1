"""The trust score's breakdown in the reader's language: a label and a sentence for each part.

Amounts are shown as bands, like on reviews: the breakdown never tells what a person earned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tsunagu.trust.rules import value_band
from tsunagu.trust.scoring import Component, Part, Score


@dataclass(frozen=True)
class Line:
    """One row of "why this score": what it is, its weight, the person's value, why."""

    component: str
    label: str
    weight: int
    value_percent: int
    points: float
    known: bool
    sentence: str


def component_label(component: Component) -> str:
    labels = {
        Component.IDENTITY: _("Identity verification"),
        Component.TRACK_RECORD: _("Track record"),
        Component.ON_TIME: _("On-time delivery"),
        Component.PAYMENT: _("Payment reliability"),
        Component.CONDUCT: _("Cancellations and disputes"),
        Component.RESPONSE: _("Response time"),
        Component.REVIEWS: _("Reviews"),
        Component.REPEAT: _("Repeat work"),
        Component.NETWORK: _("Network trust"),
        Component.COMMUNITY: _("Communities and answers"),
    }
    return labels[component]


def _one_decimal(number: float) -> str:
    # number_format cuts extra decimals off; round first so 4.875 reads 4.9
    return number_format(round(number, 1), decimal_pos=1)


def part_sentence(part: Part) -> str:
    n = part.numbers
    component = part.component
    if component is Component.IDENTITY:
        checks = int(n.get("checks", 0))
        return ngettext(
            "%(count)d identity check passed (e-mail, phone, document, real name, face photo).",
            "%(count)d identity checks passed (e-mail, phone, document, real name, face photo).",
            checks,
        ) % {"count": checks}
    if not part.known:
        return {
            Component.TRACK_RECORD: _("No completed paid contract yet."),
            Component.ON_TIME: _("No delivery with a due date yet: counted at the usual rate."),
            Component.PAYMENT: _("No milestone to pay yet: counted at the usual rate."),
            Component.CONDUCT: _("No contract yet: counted at the usual rate."),
            Component.RESPONSE: _("Not enough conversations yet to know the usual reply time."),
            Component.REVIEWS: _("No review yet: counted at the platform's average."),
            Component.REPEAT: _("No one to work with again yet."),
            Component.NETWORK: _("Not yet connected to trusted people by paid work."),
            Component.COMMUNITY: _("No community activity or expert answer yet."),
        }[component]
    if component is Component.TRACK_RECORD:
        contracts = int(n["contracts"])
        return ngettext(
            "%(count)d completed paid contract, %(band)s in all.",
            "%(count)d completed paid contracts, %(band)s in all.",
            contracts,
        ) % {"count": contracts, "band": value_band(int(n["value"]))}
    if component is Component.ON_TIME:
        return _("%(on_time)d of %(total)d milestones delivered by their due date.") % {
            "on_time": int(n["on_time"]),
            "total": int(n["total"]),
        }
    if component is Component.PAYMENT:
        return _(
            "%(ok)d of %(total)d payments made promptly: funded soon after the terms and "
            "deliveries inspected in time."
        ) % {"ok": int(n["ok"]), "total": int(n["total"])}
    if component is Component.CONDUCT:
        troubled = int(n["troubled"])
        if troubled == 0:
            return _("No cancellation after work started and no dispute lost.")
        return ngettext(
            "%(count)d of %(total)d contracts cancelled after work started or lost in a dispute.",
            "%(count)d of %(total)d contracts cancelled after work started or lost in disputes.",
            troubled,
        ) % {"count": troubled, "total": int(n["total"])}
    if component is Component.RESPONSE:
        return _("Usually replies within %(hours)s hours.") % {"hours": _one_decimal(n["hours"])}
    if component is Component.REVIEWS:
        count = int(n["count"])
        return ngettext(
            "%(average)s stars from %(count)d review (%(adjusted)s after weighing few "
            "reviews toward the platform's average).",
            "%(average)s stars from %(count)d reviews (%(adjusted)s after weighing few "
            "reviews toward the platform's average).",
            count,
        ) % {
            "average": _one_decimal(n["average"]),
            "count": count,
            "adjusted": _one_decimal(n["adjusted"]),
        }
    if component is Component.REPEAT:
        return _("%(repeat)d of %(total)d people worked with again.") % {
            "repeat": int(n["repeat"]),
            "total": int(n["total"]),
        }
    if component is Component.COMMUNITY:
        return _(
            "Endorsed by %(endorsers)d people after working together in communities, "
            "%(activities)d activities, %(answers)d answers (%(best)d chosen as best)."
        ) % {
            "endorsers": int(n["endorsers"]),
            "activities": int(n["activities"]),
            "answers": int(n["answers"]),
            "best": int(n["best_answers"]),
        }
    return _("More trusted through paid work than %(percentile)d%% of people.") % {
        "percentile": int(n["percentile"])
    }


def breakdown(score: Score) -> list[Line]:
    """Every part of ``score`` as a row the page and the API show, in the active language."""
    return [
        Line(
            component=str(part.component),
            label=component_label(part.component),
            weight=part.weight,
            value_percent=round(part.value * 100),
            points=part.points,
            known=part.known,
            sentence=part_sentence(part),
        )
        for part in score.parts
    ]
