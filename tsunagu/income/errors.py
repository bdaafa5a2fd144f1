"""Why an income action was refused: a stable code for the API and a message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class IncomeError(DomainError):
    messages = {
        "amount_range": _("Enter an amount from ¥1 to ¥100,000,000."),
        "limit_range": _("Choose a share from 10 % to 100 %."),
        "future_date": _("The date cannot be in the future."),
        "too_old": _("The date is too far in the past (at most ten years)."),
        "source_required": _("Say where the income came from."),
        "label_required": _("Give the engagement a name."),
        "not_a_client": _("That person has not paid you on Tsunagu yet."),
        "csv_empty": _("The file has no rows to import."),
        "csv_too_large": _("Import at most %(limit)d rows at a time."),
        "csv_header": _("The first line must be the header: date,amount,source,note."),
        "csv_row": _("Line %(line)d: %(problem)s"),
        "csv_encoding": _("The file must be UTF-8 text (CSV)."),
        "csv_date": _("Write the date as 2026-04-30."),
        "not_yours": _("Not found."),
    }
    kinds = {
        "not_yours": ErrorKind.NOT_FOUND,
    }
    default_kind = ErrorKind.INVALID
