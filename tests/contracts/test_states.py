"""The rules of who may do what next, in memory: no database."""

from __future__ import annotations

import pytest

from tsunagu.contracts.states import (
    Action,
    ContractState,
    ContractStatus,
    MilestoneState,
    MilestoneStatus,
    Role,
    allowed_actions,
    refusal,
)

ACTIVE = ContractState(status=ContractStatus.ACTIVE)
MS = MilestoneStatus


def test_only_the_worker_answers_an_offer() -> None:
    offered = ContractState(status=ContractStatus.OFFERED, milestone_statuses=(MS.UNFUNDED,))
    assert allowed_actions(offered, None, Role.WORKER) == {
        Action.ACCEPT_TERMS,
        Action.DECLINE,
        Action.CANCEL,
    }
    assert allowed_actions(offered, None, Role.CLIENT) == {Action.CANCEL}
    assert allowed_actions(offered, None, Role.OTHER) == frozenset()
    assert refusal(Action.ACCEPT_TERMS, role=Role.CLIENT, contract=offered) == "not_the_worker"
    assert refusal(Action.ACCEPT_TERMS, role=Role.WORKER, contract=ACTIVE) == "wrong_state"


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        ((MS.FUNDING, MS.FUNDED), "payment_in_progress"),
        ((MS.UNFUNDED, MS.DELIVERED), "money_in_escrow"),
        ((MS.RELEASED, MS.UNFUNDED), None),
    ],
)
def test_a_contract_is_cancelled_only_while_no_money_is_held(
    statuses: tuple[str, ...], code: str | None
) -> None:
    state = ContractState(status=ContractStatus.ACTIVE, milestone_statuses=statuses)
    assert refusal(Action.CANCEL, role=Role.CLIENT, contract=state) == code
    assert refusal(Action.CANCEL, role=Role.OTHER, contract=state) == "not_a_party"


def test_paid_work_makes_a_cancelled_contract_completed() -> None:
    paid = ContractState(status=ContractStatus.ACTIVE, milestone_statuses=(MS.SETTLED,))
    assert paid.cancel_target == ContractStatus.COMPLETED
    assert ACTIVE.cancel_target == ContractStatus.CANCELLED


@pytest.mark.parametrize(
    ("status", "client", "worker"),
    [
        (MS.UNFUNDED, {Action.FUND}, set()),
        (MS.FUNDING, set(), set()),
        (MS.FUNDED, {Action.PROPOSE_CANCELLATION, Action.DISPUTE}, {Action.DELIVER}),
        (
            MS.DELIVERED,
            {Action.ACCEPT, Action.REQUEST_REVISION, Action.PROPOSE_CANCELLATION, Action.DISPUTE},
            set(),
        ),
        (MS.REVISION_REQUESTED, {Action.PROPOSE_CANCELLATION, Action.DISPUTE}, {Action.DELIVER}),
        (MS.DISPUTED, set(), set()),
        (MS.RELEASED, set(), set()),
    ],
)
def test_each_stage_allows_each_party_its_own_steps(
    status: str, client: set[Action], worker: set[Action]
) -> None:
    milestone = MilestoneState(status=status, revisions_left=1)
    both = {Action.PROPOSE_CANCELLATION, Action.DISPUTE} & client
    assert allowed_actions(ACTIVE, milestone, Role.CLIENT) == client
    assert allowed_actions(ACTIVE, milestone, Role.WORKER) == worker | both
    assert allowed_actions(ACTIVE, milestone, Role.OTHER) == frozenset()


def test_refusals_name_the_wrong_person_before_the_wrong_stage() -> None:
    unfunded = MilestoneState(status=MS.UNFUNDED)
    assert refusal(Action.FUND, role=Role.WORKER, contract=ACTIVE, milestone=unfunded) == (
        "not_the_client"
    )
    assert refusal(Action.DELIVER, role=Role.WORKER, contract=ACTIVE, milestone=unfunded) == (
        "not_funded"
    )
    funding = MilestoneState(status=MS.FUNDING)
    assert refusal(Action.FUND, role=Role.CLIENT, contract=ACTIVE, milestone=funding) == (
        "payment_in_progress"
    )


def test_revisions_and_cancellations_have_their_own_limits() -> None:
    used_up = MilestoneState(status=MS.DELIVERED, revisions_left=0)
    assert (
        refusal(Action.REQUEST_REVISION, role=Role.CLIENT, contract=ACTIVE, milestone=used_up)
        == "revision_limit"
    )
    assert Action.ACCEPT in allowed_actions(ACTIVE, used_up, Role.CLIENT)
    waiting = MilestoneState(status=MS.FUNDED, open_cancellation=True)
    assert (
        refusal(Action.PROPOSE_CANCELLATION, role=Role.WORKER, contract=ACTIVE, milestone=waiting)
        == "open_request"
    )
    assert Action.DISPUTE in allowed_actions(ACTIVE, waiting, Role.WORKER)


def test_a_milestone_action_needs_a_milestone() -> None:
    with pytest.raises(ValueError, match="milestone"):
        refusal(Action.FUND, role=Role.CLIENT, contract=ACTIVE)
