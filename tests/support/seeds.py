"""The rows that data migrations seed (the skill taxonomy, job categories), put back after a
transactional test's flush has emptied every table."""

from __future__ import annotations

import importlib

SEEDING_MIGRATIONS = (
    "tsunagu.profiles.migrations.0002_seed_skills",
    "tsunagu.jobs.migrations.0003_seed_categories",
)


def migration_seeds_restore() -> None:
    from django.apps import apps

    for module in SEEDING_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
