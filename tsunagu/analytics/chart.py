"""Geometry of the views-per-day bar chart, drawn as inline SVG by the template."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats

from tsunagu.analytics.selectors import DayCount

WIDTH = 720
HEIGHT = 220
TOP = 10
BOTTOM = 24  # room for the date labels
GAP = 2


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    views: int
    label: str
    is_today: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str = "middle"  # the last label ends at the right edge instead of running past it


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    label_y: int
    maximum: int
    bars: list[Bar]
    ticks: list[Tick]


def views_chart(days: list[DayCount]) -> Chart:
    """One bar per day scaled to the busiest day; a date label about every week."""
    baseline = HEIGHT - BOTTOM
    plot = baseline - TOP
    maximum = max((d.views for d in days), default=0)
    slot = WIDTH / max(len(days), 1)
    bar_width = max(slot - GAP, 1.0)
    every = 7 if len(days) <= 31 else 14
    bars: list[Bar] = []
    ticks: list[Tick] = []
    for index, day in enumerate(days):
        height = round(plot * day.views / maximum, 1) if maximum else 0.0
        x = round(index * slot + GAP / 2, 1)
        label = formats.date_format(day.day, "SHORT_DATE_FORMAT")
        bars.append(
            Bar(
                x=x,
                y=round(baseline - height, 1),
                width=round(bar_width, 1),
                height=height,
                views=day.views,
                label=label,
                is_today=index == len(days) - 1,
            )
        )
        if (len(days) - 1 - index) % every == 0:
            last = index == len(days) - 1
            ticks.append(
                Tick(
                    x=float(WIDTH) if last else round(x + bar_width / 2, 1),
                    label=f"{day.day.month}/{day.day.day}",
                    anchor="end" if last else "middle",
                )
            )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        label_y=HEIGHT - 6,
        maximum=maximum,
        bars=bars,
        ticks=ticks,
    )
