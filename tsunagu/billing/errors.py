"""Why a billing request was refused: a stable code for the API and a message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError, ErrorKind


class BillingError(DomainError):
    messages = {
        "year_malformed": _("Give the year as four digits, for example 2026."),
        "year_in_future": _("%(year)s has not begun yet: choose this year or an earlier one."),
        "year_before_account": _(
            "Your account was opened in %(first)s: there are no papers for %(year)s."
        ),
        "invoice_not_found": _("There is no such invoice."),
        "not_staff": _("Only staff can issue a correction."),
        "reason_required": _("Say why the invoice is corrected."),
        "not_a_registered_issuer": _(
            "Invoices for client payments can be issued only for a worker with a valid "
            "qualified-invoice registration number."
        ),
    }
    kinds = {
        "year_malformed": ErrorKind.INVALID,
        "year_in_future": ErrorKind.INVALID,
        "year_before_account": ErrorKind.INVALID,
        "invoice_not_found": ErrorKind.NOT_FOUND,
        "not_staff": ErrorKind.FORBIDDEN,
        "reason_required": ErrorKind.INVALID,
    }
    default_kind = ErrorKind.CONFLICT
