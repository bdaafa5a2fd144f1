"""Input and output schemas of /api/v1/wallet."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictInt

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import MAX_BIGINT, MIN_BIGINT, Line


class WalletOut(Schema):
    balance: int = Field(description="Posted balance in yen.")
    held: int = Field(description="Reserved for escrow or a payout in progress.")
    available: int = Field(description="What can be spent or withdrawn now.")
    currency: str


class HistoryLineOut(Schema):
    id: int
    created_at: datetime.datetime
    description: str
    amount: int = Field(description="Change of the balance: positive in, negative out.")
    held: int = Field(description="Change of the held amount.")
    balance_after: int
    contract_id: int | None


class HistoryOut(Schema):
    count: int
    page: int
    pages: int
    items: list[HistoryLineOut]


class AmountIn(StrictSchema):
    amount: Annotated[StrictInt, Field(ge=MIN_BIGINT, le=MAX_BIGINT)] = Field(
        description="Whole yen.", examples=[10000]
    )


class PaymentOut(Schema):
    id: int
    key: str
    kind: str
    status: str = Field(description="processing, succeeded or declined")
    amount: int
    fee: int
    currency: str
    decline_code: str
    decline_reason: str
    created_at: datetime.datetime
    finalized_at: datetime.datetime | None


class BankAccountIn(StrictSchema):
    bank_name: Line
    branch_name: Line
    account_type: Line = Field("ordinary", description="ordinary, checking or savings")
    account_number: Line = Field(description="7 digits")
    holder_kana: Line = Field(description="Holder's name in katakana (half-width is converted).")


class BankAccountOut(Schema):
    bank_name: str
    branch_name: str
    account_type: str
    account_number_last3: str
    holder_kana: str
    updated_at: datetime.datetime
