"""Reading the demo data files that ship inside the package (``tsunagu/demo/data/*.toml``)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def data_read(name: str) -> dict[str, Any]:
    """The parsed contents of ``data/<name>.toml``."""
    path = resources.files("tsunagu.demo") / "data" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))
