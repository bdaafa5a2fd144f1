"""Compile the contact guard's n-gram loop (tsunagu/guard/_grams.c) when the package is built.

The library is plain C called through ctypes, so only a C compiler is needed, not Python's
headers. Without a compiler the build goes on and the guard uses the same loop in Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("tsunagu") / "guard" / "_grams.c"
TARGET = SOURCE.with_name("_grams.dll" if sys.platform == "win32" else "_grams.so")


class GramsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
        if compiler is None:
            self.app.display_warning(f"no C compiler: {SOURCE} left to its Python twin")
            return
        command = [compiler, "-O2", "-shared", "-fPIC", "-o", str(TARGET), str(SOURCE)]
        # the compiler is the one the environment names or the first on PATH
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            self.app.display_warning(f"{' '.join(command)} failed:\n{done.stderr}")
            return
        if version != "editable":
            # the library is ignored by git, so it is named to be shipped in the wheel
            build_data["artifacts"].append(TARGET.as_posix())
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
