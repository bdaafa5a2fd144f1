"""Every change to a contract, one function per transition, in one module per stage.

Each write runs in one transaction that locks the contract row, then the milestone row, then
(through the ledger) the accounts, always in that order (:mod:`.shared`); checks who is acting
and the current status under the lock; records an audit row; and sends notifications after
commit. Calling an action twice (a double click) finds the status already moved and is refused
without effect.

The stages: :mod:`.offers` (terms offered, accepted, declined), :mod:`.funding` (escrow from
the balance or by card), :mod:`.delivery` (deliveries and revision requests),
:mod:`.settlement` (acceptance, release and refund), :mod:`.cancellation` and
:mod:`.disputes`. Callers import from here: ``from tsunagu.contracts import services``.
"""

from __future__ import annotations

from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.services.cancellation import (
    cancellation_propose,
    cancellation_respond,
    cancellation_withdraw,
    contract_cancel,
)
from tsunagu.contracts.services.delivery import (
    DELIVERY_KINDS,
    MAX_DELIVERY_FILE_BYTES,
    MAX_DELIVERY_FILES,
    delivery_submit,
    milestone_request_revision,
)
from tsunagu.contracts.services.disputes import dispute_decide, dispute_open
from tsunagu.contracts.services.funding import (
    milestone_fund_by_card,
    milestone_fund_from_wallet,
    milestone_fund_start,
)
from tsunagu.contracts.services.offers import (
    DEFAULT_DELIVERY_METHOD,
    MAX_MILESTONE_AMOUNT,
    MAX_MILESTONES,
    MAX_PAYMENT_DAYS_AFTER_DELIVERY,
    PAYMENT_METHOD,
    SUPPORTED_CURRENCIES,
    MilestoneInput,
    contract_accept_terms,
    contract_decline,
    contract_offer,
    contract_parties_lock,
    terms_hash,
)
from tsunagu.contracts.services.settlement import milestone_accept, milestones_auto_accept_due

__all__ = [
    "DEFAULT_DELIVERY_METHOD",
    "DELIVERY_KINDS",
    "MAX_DELIVERY_FILES",
    "MAX_DELIVERY_FILE_BYTES",
    "MAX_MILESTONES",
    "MAX_MILESTONE_AMOUNT",
    "MAX_PAYMENT_DAYS_AFTER_DELIVERY",
    "PAYMENT_METHOD",
    "SUPPORTED_CURRENCIES",
    "ContractError",
    "MilestoneInput",
    "cancellation_propose",
    "cancellation_respond",
    "cancellation_withdraw",
    "contract_accept_terms",
    "contract_cancel",
    "contract_decline",
    "contract_offer",
    "contract_parties_lock",
    "delivery_submit",
    "dispute_decide",
    "dispute_open",
    "milestone_accept",
    "milestone_fund_by_card",
    "milestone_fund_from_wallet",
    "milestone_fund_start",
    "milestone_request_revision",
    "milestones_auto_accept_due",
    "terms_hash",
]
