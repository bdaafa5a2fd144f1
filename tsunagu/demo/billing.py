"""Demo billing: one demo worker becomes a registered issuer, then every invoice due for the
demo's paid contracts is issued (platform fees, and payments from that worker's clients).

Safe to run again: business details already set are left alone and issuing is idempotent."""

from __future__ import annotations

from tsunagu.accounts.models import BusinessDetails, User
from tsunagu.accounts.services import business_details_update
from tsunagu.billing.services import invoices_issue_missing
from tsunagu.demo.datafiles import data_read


def demo_billing_load() -> int:
    """Set the demo issuers' business details and issue missing invoices; returns how many."""
    for issuer in data_read("billing")["issuers"]:
        user = User.objects.filter(email=issuer["email"]).first()
        if (
            user is None
            or BusinessDetails.objects.filter(user=user).exclude(registration_number="").exists()
        ):
            continue
        business_details_update(
            user=user,
            kind=issuer["kind"],
            legal_name=issuer["legal_name"],
            registration_number=issuer["registration_number"],
        )
    return invoices_issue_missing(limit=1000)
