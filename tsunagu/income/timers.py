"""Income timers, run by the periodic tick."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tsunagu.core.periodic import periodic

ROLLUPS_EVERY = datetime.timedelta(hours=24)


@periodic("income.rollups")
def rollups() -> int:
    """Once a day every paid worker's monthly roll-up is rebuilt from the ledger (after each
    payment it is rebuilt at once; this repairs any that failed), then workers are told of the
    pipes that started thinning. Returns the workers rebuilt."""
    from tsunagu.income.models import RollupRun
    from tsunagu.income.rollups import income_rollups_refresh_all
    from tsunagu.income.services import pipe_alerts_send

    now = timezone.now()
    if RollupRun.objects.filter(started_at__gt=now - ROLLUPS_EVERY).exists():
        return 0
    run = RollupRun.objects.create()
    run.workers = income_rollups_refresh_all()
    pipe_alerts_send()  # from the fresh roll-up: pipes that started thinning
    run.finished_at = timezone.now()
    run.save(update_fields=["workers", "finished_at"])
    return run.workers


@periodic("income.weekly")
def weekly() -> int:
    """From Monday 08:00 each worker with income on Tsunagu gets the week's e-mail: the month
    against the target, the gap with jobs that would fill it, and the pipes as a picture."""
    from tsunagu.income.weekly import income_weekly_send

    return income_weekly_send()
