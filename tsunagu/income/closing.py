"""Closing an account: the person's income planning (target, outside income, recurring work,
the pipes computed for them, alerts and weekly summaries) is erased. Rows where they are the
*client* of someone else's pipe belong to that worker and stay."""

from __future__ import annotations

from tsunagu.core.closing import closing_eraser_register
from tsunagu.income.models import (
    IncomeMonth,
    IncomeTarget,
    OutsideIncome,
    PipeAlert,
    RecurringEngagement,
    WeeklySummary,
    WeeklySummaryOptOut,
)


def erase_income(user_id: int) -> dict[str, int]:
    return {
        "income_targets": IncomeTarget.objects.filter(user_id=user_id).delete()[0],
        "outside_income": OutsideIncome.objects.filter(user_id=user_id).delete()[0],
        "recurring_engagements": RecurringEngagement.objects.filter(user_id=user_id).delete()[0],
        "income_months": IncomeMonth.objects.filter(worker_id=user_id).delete()[0],
        "pipe_alerts": PipeAlert.objects.filter(worker_id=user_id).delete()[0],
        "weekly_summaries": WeeklySummary.objects.filter(worker_id=user_id).delete()[0],
        "weekly_opt_outs": WeeklySummaryOptOut.objects.filter(user_id=user_id).delete()[0],
    }


closing_eraser_register("income", erase_income)
