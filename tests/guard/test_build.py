"""The compiled loop's build (hatch_build.py) and the check the guard makes when it loads it."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import hatch_build
from tsunagu.guard import model, scan

ROOT = Path(__file__).resolve().parents[2]
COMPILER = shutil.which("cc") or shutil.which("gcc")
needs_compiler = pytest.mark.skipif(COMPILER is None, reason="no C compiler here")


def _compile(tmp_path: Path, *defines: str, source: Path = model.SOURCE) -> Path:
    assert COMPILER is not None
    library = tmp_path / "_grams.so"
    subprocess.run(
        [COMPILER, "-O2", "-shared", "-fPIC", *defines, "-o", str(library), str(source)],
        check=True,
        capture_output=True,
    )
    return library


def _hash_define() -> str:
    return f'-DTSUNAGU_GRAMS_SOURCE="{model.source_hash()}"'


@needs_compiler
def test_a_library_built_from_this_source_is_loaded(tmp_path: Path) -> None:
    kernel = model._kernel(_compile(tmp_path, _hash_define()))
    assert kernel is not None
    assert kernel.tsunagu_grams_abi() == model.ABI


@needs_compiler
def test_a_library_of_another_abi_is_refused_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = _compile(tmp_path, _hash_define(), f"-DTSUNAGU_GRAMS_ABI={model.ABI + 1}")
    with caplog.at_level(logging.WARNING, logger=model.__name__):
        assert model._kernel(library) is None
    assert f"has ABI {model.ABI + 1}, not {model.ABI}" in caplog.text
    assert "scoring in Python" in caplog.text


@needs_compiler
def test_a_library_built_from_another_source_is_refused_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = _compile(tmp_path, '-DTSUNAGU_GRAMS_SOURCE="0123456789abcdef"')
    with caplog.at_level(logging.WARNING, logger=model.__name__):
        assert model._kernel(library) is None
    assert "was built from another _grams.c (0123456789ab" in caplog.text


@needs_compiler
def test_a_library_from_before_the_check_is_refused_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = tmp_path / "old.c"
    old.write_text("double tsunagu_score(void) { return 0.0; }\n", encoding="utf-8")
    library = _compile(tmp_path, source=old)
    with caplog.at_level(logging.WARNING, logger=model.__name__):
        assert model._kernel(library) is None
    assert "predates the ABI check" in caplog.text


@needs_compiler
def test_with_a_refused_library_the_guard_scores_in_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = model._kernel(_compile(tmp_path, '-DTSUNAGU_GRAMS_SOURCE="stale"'))
    monkeypatch.setattr(model, "KERNEL", stale)
    scorer = model.load()
    text = "LINEで話しませんか"
    assert scorer.score(text) == replace(scorer, compiled=False).score(text)
    assert scan(text).verdict == "solicit"


def test_the_build_hook_is_the_wheels_only() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build = config["tool"]["hatch"]["build"]
    assert "hooks" not in build  # a hook there would run for the sdist too
    assert "custom" in build["targets"]["wheel"]["hooks"]
    assert "hooks" not in build["targets"].get("sdist", {})
    excluded = build["targets"]["sdist"]["exclude"]
    assert "/tsunagu/guard/_grams.so" in excluded and "/tsunagu/guard/_grams.dll" in excluded


def test_the_wheel_is_for_any_python_3_on_this_platform() -> None:
    tag = hatch_build.wheel_tag()
    python, abi, platform = tag.split("-")
    assert (python, abi) == ("py3", "none")
    assert platform and "." not in platform and "-" not in platform
    if sys.platform == "linux":
        assert platform.startswith("linux_")
    data = hatch_build.build_data_for("standard")
    assert data == {
        "artifacts": [
            "tsunagu/guard/_grams.so" if sys.platform != "win32" else "tsunagu/guard/_grams.dll"
        ],
        "pure_python": False,
        "tag": tag,
    }
    assert hatch_build.build_data_for("editable") == {}  # the library stays in the tree


def test_the_build_compiles_in_the_hash_of_the_source() -> None:
    command = hatch_build.compile_command("cc", ROOT)
    assert f'-DTSUNAGU_GRAMS_SOURCE="{model.source_hash()}"' in command


def test_the_sdist_ships_no_library_and_the_wheel_is_tagged_py3_none(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("no uv here: the hook's logic is tested above")
    built = subprocess.run(  # offline: hatchling from uv's cache, as `uv sync` left it
        [uv, "build", "--offline", "--quiet", "-o", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0 and "offline" in built.stderr.lower():
        pytest.skip("hatchling is not in uv's cache and the network is off")
    assert built.returncode == 0, built.stderr
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(name.endswith("tsunagu/guard/_grams.c") for name in names)
    assert not [name for name in names if name.endswith((".so", ".dll", ".dylib"))]
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.endswith(f"-{hatch_build.wheel_tag()}.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [name for name in names if name.endswith(".dist-info/WHEEL")]
        assert f"Tag: {hatch_build.wheel_tag()}" in archive.read(metadata).decode()
    if COMPILER is not None:
        assert hatch_build.TARGET.as_posix() in names
