"""What each app contributes to closing an account, without the accounts app importing it.

An app registers, from its ``closing`` module (found by ``closing_discover``, the way the admin
finds ``admin`` modules):

- a *blocker*: given the person's user id, it returns what of theirs is still open in that app
  (each a short phrase for people, already translated, such as "2件の進行中の契約"); while any
  blocker returns something the account cannot be closed;
- an *eraser*: given the person's user id, it erases or pseudonymises the personal data that app
  holds about them, inside the closing transaction, and returns a short summary for the audit
  row (``{"portfolio_items": 3}``). It must keep what the law requires to be kept (ledger,
  contract terms, message evidence, invoices, reviews' numbers). Files are deleted from storage
  after the commit (``transaction.on_commit``), so a rollback loses none;
- a *mailbox eraser*: an eraser that also needs the addresses the person had, which are gone by
  the time erasers run (mail queued to them is cancelled, for one).

Erasers run in the order of their names, mailbox erasers after the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

Blocker = Callable[[int], Iterable[str]]
Eraser = Callable[[int], Mapping[str, int]]
MailboxEraser = Callable[[int, frozenset[str]], Mapping[str, int]]

_blockers: dict[str, Blocker] = {}
_erasers: dict[str, Eraser] = {}
_mailbox_erasers: dict[str, MailboxEraser] = {}


def closing_blocker_register(name: str, blocker: Blocker) -> None:
    """Register (or replace, by ``name``) a check of what is still open."""
    _blockers[name] = blocker


def closing_eraser_register(name: str, eraser: Eraser) -> None:
    """Register (or replace, by ``name``) a step that erases personal data."""
    _erasers[name] = eraser


def closing_mailbox_eraser_register(name: str, eraser: MailboxEraser) -> None:
    """Register (or replace, by ``name``) a step given the user id and the person's addresses."""
    _mailbox_erasers[name] = eraser


def closing_discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("closing")


def closing_blockers() -> dict[str, Blocker]:
    """Every registered blocker, by name, after finding the apps' ``closing`` modules."""
    closing_discover()
    return dict(sorted(_blockers.items()))


def closing_erasers() -> dict[str, Eraser]:
    """Every registered eraser, by name, after finding the apps' ``closing`` modules."""
    closing_discover()
    return dict(sorted(_erasers.items()))


def closing_mailbox_erasers() -> dict[str, MailboxEraser]:
    """Every registered mailbox eraser, by name, after finding the apps' ``closing`` modules."""
    closing_discover()
    return dict(sorted(_mailbox_erasers.items()))
