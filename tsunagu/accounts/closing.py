"""Closing an account: refused while anything is still open, then the person's personal data is
erased or pseudonymised in one transaction, while what the law requires to be kept (ledger,
contract terms, message evidence, invoices, reviews' numbers) stays and still points at the row.

Apps above register what they check and what they erase in their own ``closing`` module
(``tsunagu.core.closing``); this module erases what the accounts app holds itself.
"""

from __future__ import annotations

import secrets

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.accounts.models import (
    BusinessDetails,
    DeviceSighting,
    PhoneChallenge,
    PhoneNumber,
    User,
    VerificationDocument,
)
from tsunagu.audit.services import audit_record
from tsunagu.core.closing import (
    closing_blockers,
    closing_eraser_register,
    closing_erasers,
    closing_mailbox_erasers,
)
from tsunagu.core.errors import DomainError, ErrorKind

# RFC 2606 reserves .invalid: an address there can never be delivered.
CLOSED_EMAIL_DOMAIN = "closed.invalid"


class ClosingError(DomainError):
    messages = {
        "wrong_password": _("The password is not correct."),
        "still_open": _("Your account cannot be closed yet: %(left)s."),
        "already_closed": _("This account is already closed."),
    }
    kinds = {"wrong_password": ErrorKind.INVALID}
    default_kind = ErrorKind.CONFLICT


def closing_blockers_for(*, user_id: int) -> list[str]:
    """What of this person's is still open, as phrases for people; empty when they may close."""
    return [phrase for blocker in closing_blockers().values() for phrase in blocker(user_id)]


def delete_file_on_commit(storage: Storage, name: str) -> None:
    """Delete a stored file once the closing has committed (a rollback keeps it)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def account_close(*, user: User, password: str) -> User:
    """Close ``user``'s own account after checking their password; nothing changes if refused."""
    if not password or not user.check_password(password):
        raise ClosingError.refuse("wrong_password", field="password")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.closed_at is not None:
            raise ClosingError.refuse("already_closed")
        left = closing_blockers_for(user_id=locked.pk)
        if left:
            raise ClosingError.refuse(
                "still_open", left=str(pgettext_lazy("list separator", ", ")).join(left)
            )
        now = timezone.now()
        addresses = _addresses(locked)
        # Inactive first, so what the erasers save (the profile) already sees a closed account.
        locked.email = f"closed-{locked.pk}-{secrets.token_hex(6)}@{CLOSED_EMAIL_DOMAIN}"
        locked.set_unusable_password()  # also ends every session: their auth hash changes
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.legal_family_name = ""
        locked.legal_given_name = ""
        locked.real_name_verified_at = None
        locked.closed_at = now
        locked.save()
        erased: dict[str, dict[str, int]] = {}
        for name, eraser in closing_erasers().items():
            erased[name] = dict(eraser(locked.pk))
        for name, mailbox_eraser in closing_mailbox_erasers().items():
            erased[name] = dict(mailbox_eraser(locked.pk, addresses))
        audit_record(
            actor=locked,
            subject=locked,
            event="account.closed",
            before=None,
            after={"closed_at": now.isoformat(), "erased": erased},
        )
    user.refresh_from_db()
    return user


def _addresses(user: User) -> frozenset[str]:
    """Every address the person has on the site, in lower case (how the outbox compares them)."""
    from allauth.account.models import EmailAddress

    found = EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    return frozenset(address.lower() for address in [user.email, *found] if address)


def _erase_accounts(user_id: int) -> dict[str, int]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    documents = list(VerificationDocument.objects.filter(user_id=user_id))
    for document in documents:
        delete_file_on_commit(document.file.storage, document.file.name)
    VerificationDocument.objects.filter(user_id=user_id).delete()
    return {
        "email_addresses": EmailAddress.objects.filter(user_id=user_id).delete()[0],
        "authenticators": Authenticator.objects.filter(user_id=user_id).delete()[0],
        "phone_numbers": PhoneNumber.objects.filter(user_id=user_id).delete()[0],
        "phone_challenges": PhoneChallenge.objects.filter(user_id=user_id).delete()[0],
        "identity_documents": len(documents),
        "business_details": BusinessDetails.objects.filter(user_id=user_id).delete()[0],
        "device_sightings": DeviceSighting.objects.filter(user_id=user_id).delete()[0],
    }


closing_eraser_register("accounts", _erase_accounts)
