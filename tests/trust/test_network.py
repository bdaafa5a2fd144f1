"""Network trust on the platform's records: recomputed as a whole, swapped in at once."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import User
from tsunagu.payments.models import BankAccount
from tsunagu.profiles.models import Profile
from tsunagu.trust import engine
from tsunagu.trust.models import NetworkRun, NetworkRunStatus, NetworkTrust
from tsunagu.trust.network import (
    identity_level,
    network_trust_due,
    network_trust_recompute,
    network_trust_refresh,
    network_trust_start,
    network_trust_update,
)
from tsunagu.trust.scores import trust_scores_for
from tsunagu.trust.scoring import Role
from tsunagu.trust.timers import network_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def young_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds by the same rule, with thresholds a test can meet: a year on the platform (set on
    the account) and three paid contracts, without a checked identity document."""
    monkeypatch.setattr(engine, "SEED_IDENTITY_LEVEL", 0)
    monkeypatch.setattr(engine, "SEED_CONTRACTS", 3)
    monkeypatch.setattr(engine, "SEED_MAX_SHARE", 0.2)


def veteran_account() -> User:
    user: User = UserFactory()
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=400)
    )
    return user


def share_bank_account(*people: User) -> None:
    for person in people:
        BankAccount.objects.create(
            user=person,
            bank_name="つなぐ銀行",
            branch_name="本店",
            account_number="1234567",
            holder_kana="ヤマダ タロウ",
        )


def test_identity_levels_follow_the_checks() -> None:
    assert identity_level(set()) == 0
    assert identity_level({"email", "phone"}) == 1
    assert identity_level({"email", "identity_document"}) == 2
    assert identity_level({"identity_document", "face_photo"}) == 3


def test_without_a_seed_there_is_no_network_trust_yet() -> None:
    paid_contract()

    run = network_trust_recompute()

    assert run.status == NetworkRunStatus.DONE and run.seeds == 0
    assert not NetworkTrust.objects.exists()


def test_a_ring_sharing_a_bank_account_ranks_below_honest_work(young_platform: None) -> None:
    veteran, honest, newcomer = veteran_account(), UserFactory(), UserFactory()
    for _ in range(3):
        paid_contract(client=veteran, worker=honest)
    paid_contract(client=honest, worker=newcomer)
    ring = [UserFactory() for _ in range(4)]
    share_bank_account(*ring)
    for a in ring:
        for b in ring:
            if a != b:
                paid_contract(client=a, worker=b)

    run = network_trust_refresh()

    assert run.status == NetworkRunStatus.DONE and run.seeds >= 1
    percentile = dict(NetworkTrust.objects.values_list("user_id", "percentile"))
    assert all(0 <= p <= 1 for p in percentile.values())
    assert max(percentile[m.pk] for m in ring) < percentile[honest.pk]
    # the score's network part now says where the person stands
    score = trust_scores_for(user_ids=[honest.pk], role=Role.WORKER)[honest.pk]
    network = next(p for p in score.parts if p.component == "network")
    assert network.known


def test_a_second_run_replaces_the_first_as_a_whole(young_platform: None) -> None:
    client = veteran_account()
    for _ in range(3):
        paid_contract(client=client)

    first = network_trust_recompute()
    second = network_trust_recompute()

    assert set(NetworkTrust.objects.values_list("run_id", flat=True)) == {second.pk}
    assert first.people == second.people and NetworkTrust.objects.count() == 4


def test_a_failing_run_is_recorded_and_keeps_the_last_result(
    young_platform: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = veteran_account()
    for _ in range(3):
        paid_contract(client=client)
    network_trust_recompute()
    kept = list(NetworkTrust.objects.values_list("user_id", "percentile"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the engine failed")

    monkeypatch.setattr(engine, "global_trust", broken)
    with pytest.raises(RuntimeError):
        network_trust_recompute()

    assert NetworkRun.objects.filter(status=NetworkRunStatus.FAILED).count() == 1
    assert list(NetworkTrust.objects.values_list("user_id", "percentile")) == kept


def test_the_tick_runs_it_once_a_day() -> None:
    now = timezone.now()
    assert network_trust_due(now=now)

    assert network_recompute() == 1  # tasks run at once under the tests

    assert not network_trust_due(now=now + datetime.timedelta(hours=1))
    assert network_trust_due(now=now + datetime.timedelta(hours=25))
    assert network_recompute() == 0


def test_a_running_run_blocks_another_until_it_is_stale() -> None:
    NetworkRun.objects.create()
    now = timezone.now()

    assert not network_trust_due(now=now)
    assert network_trust_due(now=now + datetime.timedelta(hours=3))


def test_the_command_reports_what_it_computed() -> None:
    paid_contract()
    out, err = StringIO(), StringIO()

    call_command("trust_recompute", stdout=out, stderr=err)

    assert "network trust:" in out.getvalue() and "people" in out.getvalue()


def test_the_daily_pass_stores_scores_even_without_seeds(
    django_capture_on_commit_callbacks: Any,
) -> None:
    contract = paid_contract()  # on_commit callbacks not run: no score stored yet
    assert Profile.objects.get(user=contract.worker).worker_trust_score is None

    network_trust_refresh()

    assert Profile.objects.get(user=contract.worker).worker_trust_score is not None


def test_rows_go_to_the_people_with_paid_work_whatever_their_ids(young_platform: None) -> None:
    """Ids sort differently as numbers and as strings (9 < 10, "9" > "10"): each row must still
    belong to someone who did paid work."""
    for _ in range(12):
        UserFactory()  # ids past 9, with no work
    veteran, worker = veteran_account(), UserFactory()
    for _ in range(3):
        paid_contract(client=veteran, worker=worker)

    network_trust_recompute()

    assert set(NetworkTrust.objects.values_list("user_id", flat=True)) == {veteran.pk, worker.pk}


# --- the incremental update at a contract's completion -----------------------------------------


def recomputed_score(user: User) -> float:
    network_trust_recompute()
    return NetworkTrust.objects.get(user=user).score


def test_a_completed_contract_moves_both_people_at_once(
    young_platform: None, django_capture_on_commit_callbacks: Any
) -> None:
    veteran, regular = veteran_account(), UserFactory()
    for _ in range(3):
        paid_contract(client=veteran, worker=regular)
    network_trust_recompute()
    before = NetworkTrust.objects.get(user=regular)
    newcomer: User = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        paid_contract(client=regular, worker=newcomer, amounts=(200_000,))

    moved = NetworkTrust.objects.get(user=newcomer)  # in the network from the first contract
    assert moved.updated_at is not None and moved.run_id == before.run_id and moved.score > 0
    assert NetworkTrust.objects.get(user=regular).updated_at is not None
    # one step from the last vector lands near what a whole recompute gives
    assert moved.score == pytest.approx(recomputed_score(newcomer), rel=0.5)
    stored = Profile.objects.get(user=newcomer).worker_trust_score
    assert stored is not None


def test_the_update_needs_a_run_and_leaves_a_newer_run_alone(young_platform: None) -> None:
    veteran, worker = veteran_account(), UserFactory()
    for _ in range(3):
        paid_contract(client=veteran, worker=worker)
    assert network_trust_update(user_ids=[veteran.pk, worker.pk]) == {}  # no run yet

    network_trust_recompute()
    assert set(network_trust_update(user_ids=[veteran.pk, worker.pk])) == {veteran.pk, worker.pk}
    # at the fixed point the step gives back the run's own value
    row = NetworkTrust.objects.get(user=worker)
    network_trust_recompute()
    assert row.score == pytest.approx(NetworkTrust.objects.get(user=worker).score, rel=1e-6)


def test_staff_start_queues_one_run_and_follows_its_progress(young_platform: None) -> None:
    veteran = veteran_account()
    for _ in range(3):
        paid_contract(client=veteran)

    run = network_trust_start()  # tasks run at once under the tests

    run.refresh_from_db()
    assert run.status == NetworkRunStatus.DONE
    assert (run.stage, run.stage_done, run.stage_total) == ("store", 1, 1)
    assert NetworkRun.objects.count() == 1
    # while one is running, starting again returns it instead of a second
    busy = NetworkRun.objects.create()
    assert network_trust_start() == busy


def test_accounts_signed_in_from_one_browser_count_for_little(young_platform: None) -> None:
    from tsunagu.accounts.models import DeviceSighting

    veteran, honest = veteran_account(), UserFactory()
    for _ in range(3):
        paid_contract(client=veteran, worker=honest)
    pair = [UserFactory(), UserFactory()]
    paid_contract(client=honest, worker=pair[0])  # one real contract reaches the pair
    for _ in range(5):
        paid_contract(client=pair[0], worker=pair[1], amounts=(200_000,))
        paid_contract(client=pair[1], worker=pair[0], amounts=(200_000,))
    network_trust_recompute()
    # the EigenTrust value, before the gate (which a graph this small closes on the pair anyway)
    apart = NetworkTrust.objects.get(user=pair[1]).eigentrust

    for person in pair:
        DeviceSighting.objects.create(user=person, device="same-browser")
    network_trust_recompute()

    assert 0 < NetworkTrust.objects.get(user=pair[1]).eigentrust < apart / 2
