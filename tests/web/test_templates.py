"""Templates ask the models what state a row is in, never compare it with a literal.

``{% if job.status == "open" %}`` keeps rendering (and quietly shows the wrong thing) when the
status is renamed; ``{% if job.is_open %}`` follows the model's choices.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "tsunagu"
APPS = ("accounts", "jobs", "messaging", "profiles", "proposals", "web")
STATE_LITERAL = re.compile(
    r"\.(status|state|kind|role|availability|visibility|guard_notice)\s*[!=]=\s*['\"]"
)


@pytest.mark.parametrize("app", APPS)
def test_templates_do_not_compare_states_with_literals(app: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in sorted((ROOT / app / "templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATE_LITERAL.search(line)
    ]
    assert not found, "\n".join(found)
