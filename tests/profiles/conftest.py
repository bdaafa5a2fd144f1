from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _skills(request: pytest.FixtureRequest) -> None:
    """The seeded skill taxonomy, also after a transactional test elsewhere flushed it."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    request.getfixturevalue("db")
    from tsunagu.profiles.services import skill_taxonomy_ensure

    skill_taxonomy_ensure()
