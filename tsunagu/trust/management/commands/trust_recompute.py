"""``tsunagu trust_recompute``: compute network trust again now, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from tsunagu.trust.network import network_trust_refresh


class Command(BaseCommand):
    help = "Compute the network trust of everyone again, then their trust scores."

    def handle(self, *args: Any, **options: Any) -> None:
        bars: dict[str, tqdm[Any]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(total=total, desc=stage, file=self.stderr, leave=False)
            bar.n = min(done, total)
            bar.refresh()

        try:
            run = network_trust_refresh(progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            f"network trust: {run.people} people, {run.edges} edges, {run.seeds} seeds, "
            f"{run.iterations} iterations"
        )
