"""Writes of the income app: the target, recurring engagements and outside income. None of it
touches the ledger: outside income is part of the worker's picture, never of Tsunagu's money."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tsunagu.accounts.models import User
from tsunagu.contracts.models import Milestone
from tsunagu.income.errors import IncomeError
from tsunagu.income.models import MAX_AMOUNT, IncomeTarget, OutsideIncome, RecurringEngagement

CSV_MAX_ROWS = 2000
CSV_HEADER = ["date", "amount", "source", "note"]
OLDEST_YEARS = 10
SOURCE_MAX = 80
NOTE_MAX = 200
_AMOUNT = re.compile(r"^[¥￥]?\s*([0-9][0-9,]*)\s*円?$")


def _amount(value: object, *, field: str = "amount") -> int:
    if isinstance(value, bool):
        raise IncomeError.refuse("amount_range", field=field)
    if isinstance(value, int):
        number = value
    else:
        match = _AMOUNT.match(str(value).strip().replace("，", ","))
        if not match:
            raise IncomeError.refuse("amount_range", field=field)
        number = int(match.group(1).replace(",", ""))
    if not 1 <= number <= MAX_AMOUNT:
        raise IncomeError.refuse("amount_range", field=field)
    return number


def _day(value: datetime.date, *, today: datetime.date) -> datetime.date:
    if value > today:
        raise IncomeError.refuse("future_date", field="received_on")
    if value < today.replace(year=today.year - OLDEST_YEARS):
        raise IncomeError.refuse("too_old", field="received_on")
    return value


def _text(value: str, *, limit: int) -> str:
    return " ".join(str(value).split())[:limit]


def income_target_set(
    *, user: User, monthly_amount: object, concentration_limit: int = 50
) -> IncomeTarget:
    amount = _amount(monthly_amount, field="monthly_amount")
    if isinstance(concentration_limit, bool) or not 10 <= int(concentration_limit) <= 100:
        raise IncomeError.refuse("limit_range", field="concentration_limit")
    target, _created = IncomeTarget.objects.update_or_create(
        user=user,
        defaults={"monthly_amount": amount, "concentration_limit": int(concentration_limit)},
    )
    return target


def income_target_clear(*, user: User) -> None:
    IncomeTarget.objects.filter(user=user).delete()


def outside_income_add(
    *,
    user: User,
    received_on: datetime.date,
    amount: object,
    source: str,
    note: str = "",
    today: datetime.date | None = None,
) -> OutsideIncome:
    today = today or timezone.localdate()
    clean_source = _text(source, limit=SOURCE_MAX)
    if not clean_source:
        raise IncomeError.refuse("source_required", field="source")
    return OutsideIncome.objects.create(
        user=user,
        received_on=_day(received_on, today=today),
        amount=_amount(amount),
        source=clean_source,
        note=_text(note, limit=NOTE_MAX),
    )


def outside_income_remove(*, user: User, pk: int) -> None:
    deleted, _ = OutsideIncome.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise IncomeError.refuse("not_yours")


@dataclass(frozen=True)
class ImportResult:
    rows: int
    total: int


def outside_income_import(
    *, user: User, data: bytes, today: datetime.date | None = None
) -> ImportResult:
    """Import a CSV of ``date,amount,source,note`` (a header line first; dates as 2026-04-30 or
    2026/4/30; amounts as 12000, 12,000, ¥12,000 or 12,000円). All rows or none: the first bad
    row is named by its line number and nothing is imported."""
    today = today or timezone.localdate()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IncomeError.refuse("csv_encoding", field="file") from None
    if "\x00" in text:
        raise IncomeError.refuse("csv_encoding", field="file")
    reader = csv.reader(io.StringIO(text))
    lines = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if not lines:
        raise IncomeError.refuse("csv_empty", field="file")
    header = [cell.strip().lower() for cell in lines[0][1]]
    if header[:2] != CSV_HEADER[:2] or any(c not in CSV_HEADER for c in header):
        raise IncomeError.refuse("csv_header", field="file")
    body = lines[1:]
    if not body:
        raise IncomeError.refuse("csv_empty", field="file")
    if len(body) > CSV_MAX_ROWS:
        raise IncomeError.refuse("csv_too_large", field="file", limit=CSV_MAX_ROWS)
    rows: list[OutsideIncome] = []
    for line, cells in body:
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        if len(cells) > len(header):
            _bad(line, IncomeError.refuse("csv_header"))
        try:
            day = _parse_date(values.get("date", ""))
            entry = OutsideIncome(
                user=user,
                received_on=_day(day, today=today),
                amount=_amount(values.get("amount", "")),
                source=_text(values.get("source", ""), limit=SOURCE_MAX),
                note=_text(values.get("note", ""), limit=NOTE_MAX),
                imported=True,
            )
        except IncomeError as exc:
            _bad(line, exc)
        if not entry.source:
            _bad(line, IncomeError.refuse("source_required"))
        rows.append(entry)
    with transaction.atomic():
        OutsideIncome.objects.bulk_create(rows)
    return ImportResult(rows=len(rows), total=sum(r.amount for r in rows))


def _parse_date(value: str) -> datetime.date:
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value.strip())
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise IncomeError.refuse("csv_date")


def _bad(line: int, exc: IncomeError) -> NoReturn:
    raise IncomeError.refuse("csv_row", field="file", line=line, problem=exc.message) from exc


def recurring_add(
    *, user: User, label: str, monthly_amount: object, client: User | None = None
) -> RecurringEngagement:
    clean = _text(label, limit=80)
    if not clean:
        raise IncomeError.refuse("label_required", field="label")
    amount = _amount(monthly_amount, field="monthly_amount")
    if client is not None and not (
        client.pk != user.pk
        and Milestone.objects.filter(
            contract__worker=user, contract__client=client, released_amount__gt=0
        ).exists()
    ):
        raise IncomeError.refuse("not_a_client", field="client")
    return RecurringEngagement.objects.create(
        user=user, label=clean, monthly_amount=amount, client=client
    )


def recurring_remove(*, user: User, pk: int) -> None:
    deleted, _ = RecurringEngagement.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise IncomeError.refuse("not_yours")


def pipe_alerts_send(*, today: datetime.date | None = None) -> int:
    """Tell each worker once about every pipe that has started thinning (the daily tick);
    returns how many were told. Read from the monthly roll-up."""
    from collections import defaultdict

    from django.db import IntegrityError
    from django.urls import reverse

    from tsunagu.income import engine
    from tsunagu.income.models import IncomeMonth, PipeAlert
    from tsunagu.notifications.services import notify
    from tsunagu.profiles.models import Profile

    today = today or timezone.localdate()
    rows: dict[int, list[engine.ClientMonth]] = defaultdict(list)
    for worker_id, client_id, month, gross, count, first, last in IncomeMonth.objects.values_list(
        "worker_id", "client_id", "month", "gross", "payments", "first_day", "last_day"
    ).iterator():
        rows[worker_id].append(engine.ClientMonth(client_id, month, gross, count, first, last))
    told = 0
    for worker_id, months in rows.items():
        thinning = [p for p in engine.pipes(months, today=today) if p.is_thinning]
        if not thinning:
            continue
        known = set(
            PipeAlert.objects.filter(worker_id=worker_id).values_list("client_id", "last_day")
        )
        fresh = [p for p in thinning if (p.client, p.last_day) not in known]
        if not fresh:
            continue
        names = dict(
            Profile.objects.filter(user_id__in=[p.client for p in fresh]).values_list(
                "user_id", "display_name"
            )
        )
        worker = User.objects.get(pk=worker_id)
        for pipe in fresh:
            try:
                with transaction.atomic():
                    PipeAlert.objects.create(
                        worker_id=worker_id, client_id=pipe.client, last_day=pipe.last_day
                    )
                    notify(
                        user=worker,
                        kind="income.pipe_thinning",
                        message=_thinning_message(names.get(pipe.client, ""), pipe.silent_days),
                        url=reverse("income:dashboard"),
                    )
            except IntegrityError:
                continue  # told by a run at the same moment
            told += 1
    return told


def _thinning_message(name: str, days: int) -> Callable[[], str]:
    def message() -> str:
        return gettext("Your work with %(name)s is thinning: no payment for %(days)d days.") % {
            "name": name,
            "days": days,
        }

    return message
