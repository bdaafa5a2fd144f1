"""Compile the contact guard's n-gram loop (tsunagu/guard/_grams.c) when the wheel is built.

The library is plain C called through ctypes, so only a C compiler is needed, not Python's
headers, and the wheel is for any Python 3 on this platform (``py3-none-<platform>``). The
source distribution ships the C source, never a compiled library. The SHA-256 of the source is
compiled in, so that the guard refuses a library built from another version of it (model.py).
Without a compiler the build goes on and the guard uses the same loop in Python.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported by the tests (tests/guard/test_build.py), which need no hatchling
    BuildHookInterface = object

SOURCE = Path("tsunagu") / "guard" / "_grams.c"
TARGET = SOURCE.with_name("_grams.dll" if sys.platform == "win32" else "_grams.so")


def wheel_tag() -> str:
    """Any Python 3, no ABI of CPython's (ctypes loads the library), this platform."""
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"py3-none-{platform}"


def compile_command(compiler: str, root: Path) -> list[str]:
    digest = hashlib.sha256((root / SOURCE).read_bytes()).hexdigest()
    return [
        compiler,
        "-O2",
        "-shared",
        "-fPIC",
        f'-DTSUNAGU_GRAMS_SOURCE="{digest}"',
        "-o",
        str(TARGET),
        str(SOURCE),
    ]


def build_data_for(version: str) -> dict[str, Any]:
    """What the hook adds to the wheel's build data once the library is compiled."""
    if version == "editable":  # the library stays in the source tree, where the guard loads it
        return {}
    # the library is ignored by git, so it is named to be shipped in the wheel
    return {"artifacts": [TARGET.as_posix()], "pure_python": False, "tag": wheel_tag()}


class GramsBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":  # configured for the wheel only; never the sdist
            return
        root = Path(self.root)
        compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
        if compiler is None:
            self.app.display_warning(f"no C compiler: {SOURCE} left to its Python twin")
            return
        command = compile_command(compiler, root)
        # the compiler is the one the environment names or the first on PATH
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            self.app.display_warning(f"{' '.join(command)} failed:\n{done.stderr}")
            return
        added = build_data_for(version)
        build_data["artifacts"].extend(added.pop("artifacts", []))
        build_data.update(added)
