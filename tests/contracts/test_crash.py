"""A process paying by card is killed mid-way; recovery completes the payment exactly once.

A separate Python process, with the project's settings, works against the test database (which
the transactional test commits to, so both processes see the same rows): it starts a top-up or a
card funding, and stops at a chosen point, where it writes a marker file and waits to be killed
with SIGKILL. The points: before the provider is asked, right after the provider charged the card
(inside ``payment_execute``, before ``payment_finalize``), and after finalisation. The sandbox's
webhook is lost with the process. Then ``payments_recover`` runs here, and the money has moved
exactly once: a second recovery and a replayed webhook change nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from tests.accounts.factories import UserFactory
from tests.contracts.factories import offer
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Milestone
from tsunagu.contracts.services import contract_cancel, milestone_fund_start
from tsunagu.contracts.states import MilestoneStatus
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import wallet_account
from tsunagu.payments.models import Payment, PaymentStatus, SandboxOperation, WebhookEvent
from tsunagu.payments.providers.sandbox import SandboxProvider, sign, webhook_body
from tsunagu.payments.services import payments_recover, webhook_receive

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]
MARKER_WAIT_SECONDS = 120

SCRIPT = r"""
import pathlib
import sys
import time

import django

django.setup()

from tsunagu.accounts.models import User
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Milestone
from tsunagu.contracts.services import contract_cancel, milestone_fund_start
from tsunagu.contracts.services import milestone_fund_start
from tsunagu.payments.providers.sandbox import SandboxProvider
from tsunagu.payments.services import payment_execute
from tsunagu.payments.wallet import wallet_top_up_start

point, kind, ident, marker = sys.argv[1:5]


def stop_here(reached):
    pathlib.Path(marker).write_text(reached)
    while True:  # wait to be killed
        time.sleep(1)


if kind == "top_up":
    payment = wallet_top_up_start(user=User.objects.get(pk=int(ident)), amount=6000)
else:
    milestone = Milestone.objects.select_related("contract__client").get(pk=int(ident))
    payment = milestone_fund_start(milestone=milestone, by=milestone.contract.client)
if point == "before_provider":
    stop_here(payment.key)
if point == "after_provider":
    charge = SandboxProvider.charge

    def charge_then_die(self, **kwargs):
        result = charge(self, **kwargs)
        stop_here(payment.key)

    SandboxProvider.charge = charge_then_die
payment_execute(payment=payment)
stop_here(payment.key)
"""


def database_url() -> str:
    """The test database, as DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"])
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    pytest.skip(f"no crash test for {connection.vendor}")


def run_until_killed(tmp_path: Path, point: str, kind: str, ident: int) -> str:
    """Run the script until it reaches ``point``, kill it there and return the payment key."""
    script = tmp_path / "pay.py"
    script.write_text(SCRIPT)
    marker = tmp_path / "reached"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
        "DATABASE_URL": database_url(),
        # The sandbox's webhook is lost with the process.
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }
    process = subprocess.Popen(
        [sys.executable, str(script), point, kind, str(ident), str(marker)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        waited = 0.0
        while not marker.exists() or not marker.read_text():
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"the script ended before {point}:\n{err.decode()}{out.decode()}")
            if waited > MARKER_WAIT_SECONDS:
                pytest.fail(f"the script did not reach {point}")
            time.sleep(0.05)
            waited += 0.05
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    return marker.read_text()


def replay_webhook(payment: Payment) -> None:
    """The event the provider sent (or would have sent), delivered twice now."""
    op = SandboxOperation.objects.get(idempotency_key=payment.key)
    body = webhook_body("charge", payment.key, op.ref, op.status, op.decline_code)
    provider = SandboxProvider()
    for _ in range(2):
        webhook_receive(
            data=provider.parse_webhook(body=body, signature=sign(body)), provider=provider.name
        )


def money_state(payment: Payment) -> tuple[Any, ...]:
    wallet = wallet_account(user_id=payment.user_id, currency="JPY")
    return (
        wallet.balance,
        wallet.available,
        Transfer.objects.count(),
        Payment.objects.filter(status=PaymentStatus.PROCESSING).count(),
    )


@pytest.mark.parametrize("point", ["before_provider", "after_provider", "after_finalize"])
@pytest.mark.parametrize("kind", ["top_up", "fund"])
def test_a_killed_payment_is_completed_once(tmp_path: Path, kind: str, point: str) -> None:
    if kind == "top_up":
        user = UserFactory()
        ident, amount, milestone = user.pk, 6000, None
    else:
        contract = offer(amounts=(30_000,))
        milestone = contract.milestones.get()
        ident, amount = milestone.pk, milestone.gross

    key = run_until_killed(tmp_path, point, kind, ident)

    payment = Payment.objects.get(key=key)
    charged = SandboxOperation.objects.filter(idempotency_key=key).count()
    assert charged == (0 if point == "before_provider" else 1)
    assert payment.status == (
        PaymentStatus.SUCCEEDED if point == "after_finalize" else PaymentStatus.PROCESSING
    )
    if point != "after_finalize":
        # killed before finalisation: no money has moved yet
        assert not Transfer.objects.filter(key=f"payment:{key}").exists()

    finished = payments_recover(older_than_seconds=0)
    assert finished == (0 if point == "after_finalize" else 1)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    # the card was charged once, whatever was retried
    assert SandboxOperation.objects.filter(idempotency_key=key).count() == 1
    assert Transfer.objects.filter(key=f"payment:{key}").count() == 1
    wallet = wallet_account(user_id=payment.user_id, currency="JPY")
    assert wallet.balance == amount
    if milestone is not None:
        milestone.refresh_from_db()
        assert milestone.status == MilestoneStatus.FUNDED
        assert Transfer.objects.filter(key=milestone.hold_key).count() == 1
        assert wallet.available == 0
        escrow = Account.objects.get(code=milestone.contract.escrow_code)
        assert escrow.credits_pending == amount
    else:
        assert wallet.available == amount
    assert run_checks() == []

    # Recovery again, and the provider's webhook arriving late (twice), change nothing.
    before = money_state(payment)
    assert payments_recover(older_than_seconds=0) == 0
    replay_webhook(payment)
    assert money_state(payment) == before
    assert WebhookEvent.objects.count() >= 1
    assert run_checks() == []


def test_milestone_of_a_killed_funding_cannot_be_funded_twice(tmp_path: Path) -> None:
    """While the killed card payment is unresolved, the milestone waits for it."""
    contract = offer(amounts=(30_000,))
    milestone = contract.milestones.get()
    run_until_killed(tmp_path, "after_provider", "fund", milestone.pk)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDING
    for action in (
        lambda: milestone_fund_start(milestone=Milestone(pk=milestone.pk), by=contract.client),
        lambda: contract_cancel(contract=contract, by=contract.client),
    ):
        with pytest.raises(ContractError) as exc:
            action()
        assert exc.value.code == "payment_in_progress"
    assert Payment.objects.count() == 1
    assert payments_recover(older_than_seconds=0) == 1
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert run_checks() == []
