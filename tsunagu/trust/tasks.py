"""Background work of the trust app."""

from __future__ import annotations

from django_tasks import task

from tsunagu.trust.network import network_trust_refresh


@task()
def network_trust_recompute_task() -> int:
    """The full network-trust recompute (nightly and on demand); returns the run's id."""
    return network_trust_refresh().pk
