"""Background work of the trust app."""

from __future__ import annotations

from django_tasks import task

from tsunagu.trust.models import NetworkRun
from tsunagu.trust.network import network_trust_refresh


@task()
def network_trust_recompute_task(run_id: int | None = None) -> int:
    """The full network-trust recompute (nightly and on demand), into the queued run ``run_id``
    when staff started it from the admin; returns the run's id."""
    run = NetworkRun.objects.filter(pk=run_id).first() if run_id is not None else None
    return network_trust_refresh(run=run).pk
