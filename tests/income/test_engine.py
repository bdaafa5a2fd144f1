"""Pipes, concentration and the forecast, in memory."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.income import engine
from tsunagu.income.engine import ClientMonth, Escrow, Payment, Recurring, Trend

TODAY = datetime.date(2026, 12, 6)


def months_of(*payments: Payment) -> list[ClientMonth]:
    return engine.client_months(payments)


def monthly(client: int, months: range, amount: int, *, year: int = 2026) -> list[Payment]:
    return [Payment(client, datetime.date(year, m, 10), amount) for m in months]


def test_a_client_paying_every_month_is_a_steady_pipe_of_its_length() -> None:
    [pipe] = engine.pipes(months_of(*monthly(1, range(1, 12), 50_000)), today=TODAY)
    assert pipe.trend is Trend.STEADY
    assert pipe.thickness == 550_000 and pipe.length_months == 12
    assert pipe.rhythm_days == 31 and pipe.months_paid_last_year == 11
    assert pipe.last_day == datetime.date(2026, 11, 10) and pipe.silent_days == 26


def test_silence_longer_than_the_rhythm_allows_is_thinning() -> None:
    payments = monthly(2, range(2, 7, 2), 80_000)  # every other month, last in June
    [pipe] = engine.pipes(months_of(*payments), today=TODAY)
    assert pipe.rhythm_days == 60 and pipe.silent_days > 90
    assert pipe.trend is Trend.THINNING and pipe.is_thinning


def test_falling_revenue_is_thinning_even_without_silence() -> None:
    payments = monthly(3, range(1, 7), 100_000) + monthly(3, range(7, 13), 30_000)
    [pipe] = engine.pipes(months_of(*payments), today=datetime.date(2026, 12, 20))
    assert pipe.silent_days < 31 and pipe.trend is Trend.THINNING


def test_rising_revenue_is_growing_and_one_month_is_new() -> None:
    rising = monthly(4, range(1, 7), 20_000) + monthly(4, range(7, 13), 60_000)
    [growing] = engine.pipes(months_of(*rising), today=datetime.date(2026, 12, 20))
    [new] = engine.pipes(months_of(Payment(5, datetime.date(2026, 12, 1), 9_000)), today=TODAY)
    assert growing.trend is Trend.GROWING
    assert new.trend is Trend.NEW and new.rhythm_days is None and new.length_months == 1


def test_pipes_come_thickest_first_and_ignore_the_future_and_nothing() -> None:
    payments = [
        *monthly(1, range(1, 3), 10_000),
        *monthly(2, range(1, 3), 90_000),
        Payment(3, datetime.date(2027, 1, 1), 1_000_000),  # not yet
        Payment(4, datetime.date(2026, 5, 1), 0),
    ]
    assert [p.client for p in engine.pipes(months_of(*payments), today=TODAY)] == [2, 1]


def test_concentration_warns_above_the_threshold() -> None:
    pipes = engine.pipes(
        months_of(*monthly(1, range(1, 12), 70_000), *monthly(2, range(1, 12), 30_000)),
        today=TODAY,
    )
    top = engine.concentration(pipes)
    assert top.top_client == 1 and top.top_share == pytest.approx(0.7) and top.warning
    assert not engine.concentration(pipes, threshold=0.8).warning
    assert engine.concentration([]) == engine.Concentration(None, 0.0, False)


def test_concentration_history_follows_the_months() -> None:
    rows = months_of(*monthly(1, range(1, 7), 100_000), *monthly(2, range(7, 13), 100_000))
    history = engine.concentration_history(rows, today=TODAY)
    assert len(history) == 12 and history[-1][0] == datetime.date(2026, 12, 1)
    assert history[0][1] == 1.0  # January: only client 1 in the year so far
    assert history[-1][1] == pytest.approx(0.5)  # six months of each in the last twelve


def test_forecast_adds_its_three_parts_and_shows_each() -> None:
    months = engine.forecast(
        today=TODAY,
        earned_this_month=40_000,
        escrow=[
            Escrow(30_000, datetime.date(2026, 11, 30)),  # overdue: this month
            Escrow(50_000, datetime.date(2027, 1, 15)),
        ],
        recurring=[Recurring(1, 100_000), Recurring(None, 20_000)],
        retention={1: 0.5},
        open_proposals=200_000,
        rate=0.25,
    )
    assert [m.month.month for m in months] == [12, 1, 2, 3]
    first, second = months[0], months[1]
    assert (first.escrow, first.recurring, first.proposals) == (70_000, 70_000, 50_000)
    assert first.total == 190_000
    assert (second.escrow, second.recurring, second.proposals) == (50_000, 70_000, 0)


def test_a_first_win_is_not_read_as_certainty() -> None:
    assert engine.win_rate(won=0, decided=0) == pytest.approx(0.2)
    assert 0.2 < engine.win_rate(won=1, decided=1) < 0.8
    assert engine.win_rate(won=50, decided=100) == pytest.approx(50.4 / 102)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.dates(datetime.date(2020, 1, 1), datetime.date(2026, 12, 6)),
            st.integers(0, 1_000_000),
        ),
        max_size=60,
    )
)
def test_pipes_account_for_every_yen(raw: list[tuple[int, datetime.date, int]]) -> None:
    payments = [Payment(c, d, a) for c, d, a in raw]
    pipes = engine.pipes(engine.client_months(payments), today=TODAY)
    assert sum(p.total for p in pipes) == sum(p.amount for p in payments)
    assert all(0 <= p.thickness <= p.total for p in pipes)
    assert len({p.client for p in pipes}) == len(pipes)
