"""Geometry of the income page's charts, drawn as inline SVG by the templates (and rendered to
PNG for the weekly e-mail): the pipes, the months against the target, and concentration."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tsunagu.income.selectors import MonthBar, PipeRow

WIDTH = 720
LABEL_WIDTH = 170  # the client's name, left of each pipe
PIPE_MIN, PIPE_MAX, PIPE_GAP = 6.0, 34.0, 14.0
PIPES_SHOWN = 12


@dataclass(frozen=True)
class PipeBand:
    row: PipeRow
    y: float
    height: float
    x: float
    width: float
    label_y: float


@dataclass(frozen=True)
class PipeChart:
    width: int
    height: int
    bands: list[PipeBand]
    longest_months: int
    axis_y: float
    more: int  # pipes not drawn (the table lists them all)


def pipe_chart(rows: Sequence[PipeRow]) -> PipeChart:
    """One band per client, thickest first: its height is the last 12 months' revenue (square
    root, so a small pipe stays visible), its length the months since the first payment,
    right-aligned on today."""
    shown = list(rows[:PIPES_SHOWN])
    thickest = max((r.pipe.thickness for r in shown), default=0)
    longest = max((r.pipe.length_months for r in shown), default=1)
    plot = WIDTH - LABEL_WIDTH - 10
    bands: list[PipeBand] = []
    y = 8.0
    for row in shown:
        share = (row.pipe.thickness / thickest) ** 0.5 if thickest else 0.0
        height = round(PIPE_MIN + (PIPE_MAX - PIPE_MIN) * share, 1)
        width = round(plot * row.pipe.length_months / longest, 1)
        bands.append(
            PipeBand(
                row=row,
                y=round(y, 1),
                height=height,
                x=round(WIDTH - 10 - width, 1),
                width=width,
                label_y=round(y + height / 2 + 4, 1),
            )
        )
        y += height + PIPE_GAP
    return PipeChart(
        width=WIDTH,
        height=int(y + 20),
        bands=bands,
        longest_months=longest,
        axis_y=round(y + 4, 1),
        more=max(0, len(rows) - len(shown)),
    )


@dataclass(frozen=True)
class MonthColumn:
    bar: MonthBar
    x: float
    y_tsunagu: float
    h_tsunagu: float
    y_outside: float
    h_outside: float
    label: str


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    baseline: float
    bar_width: float
    columns: list[MonthColumn]
    target_y: float | None
    maximum: int


def month_chart(months: Sequence[MonthBar], *, target: int | None) -> MonthChart:
    """A stacked bar per month (Tsunagu below, outside income above) and the target's line."""
    height, top, bottom = 200, 12, 22
    baseline = height - bottom
    plot = baseline - top
    maximum = max([m.total for m in months] + [target or 0, 1])
    slot = WIDTH / max(len(months), 1)
    bar_width = round(slot * 0.7, 1)

    def scale(amount: int) -> float:
        return round(plot * amount / maximum, 1)

    columns = []
    for index, bar in enumerate(months):
        h_t, h_o = scale(bar.tsunagu), scale(bar.outside)
        columns.append(
            MonthColumn(
                bar=bar,
                x=round(index * slot + (slot - bar_width) / 2, 1),
                y_tsunagu=round(baseline - h_t, 1),
                h_tsunagu=h_t,
                y_outside=round(baseline - h_t - h_o, 1),
                h_outside=h_o,
                label=f"{bar.month.month}",
            )
        )
    return MonthChart(
        width=WIDTH,
        height=height,
        baseline=baseline,
        bar_width=bar_width,
        columns=columns,
        target_y=round(baseline - scale(target), 1) if target else None,
        maximum=maximum,
    )


@dataclass(frozen=True)
class SharePoint:
    month: datetime.date
    share: float
    x: float
    y: float


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    points: list[SharePoint]
    path: str
    limit_y: float


def share_chart(history: Sequence[tuple[datetime.date, float]], *, limit: float) -> ShareChart:
    """The top client's share over the months, 0–100 %, with the warning threshold."""
    width, height, pad = 360, 120, 10
    plot_h = height - 2 * pad
    step = (width - 2 * pad) / max(len(history) - 1, 1)
    points = [
        SharePoint(
            month=month,
            share=share,
            x=round(pad + i * step, 1),
            y=round(pad + plot_h * (1 - share), 1),
        )
        for i, (month, share) in enumerate(history)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    return ShareChart(
        width=width,
        height=height,
        points=points,
        path=path,
        limit_y=round(pad + plot_h * (1 - limit), 1),
    )
