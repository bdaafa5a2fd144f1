"""``tsunagu trust rank``: scores that sum to 1, and for every kind of bad line its number,
a non-zero exit and no output file."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tsunagu.trust import rank_cli


def _graph(tmp_path: Path, *, header: bool = True, nodes: int = 60, edges: int = 400) -> Path:
    rng = random.Random(5)
    lines = ["src,dst,weight"] if header else []
    for _ in range(edges):
        src, dst = rng.randrange(nodes), rng.randrange(nodes)
        lines.append(f"n{src},n{dst},{rng.uniform(0, 4):.3f}")
    path = tmp_path / "edges.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _seeds(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "seeds.txt"
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return path


def _run(edges: Path, seeds: Path, out: Path) -> int:
    return rank_cli.main(
        ["--edges", str(edges), "--seeds", str(seeds), "--out", str(out), "--no-progress"]
    )


def _read(out: Path) -> list[list[str]]:
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_scores_sum_to_one_under_a_header_and_are_the_same_every_time(tmp_path: Path) -> None:
    edges, seeds = _graph(tmp_path), _seeds(tmp_path, "n1", " n2 ", "", "n1")
    out, again = tmp_path / "scores.csv", tmp_path / "again.csv"
    assert _run(edges, seeds, out) == 0
    assert _run(edges, seeds, again) == 0
    rows = _read(out)
    assert rows[0] == ["node", "score"]
    scores = [float(score) for _node, score in rows[1:]]
    assert sum(scores) == pytest.approx(1.0, abs=1e-9)
    assert scores == sorted(scores, reverse=True)
    assert {node for node, _score in rows[1:]} <= {f"n{i}" for i in range(60)}
    assert out.read_bytes() == again.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_without_a_header_gives_the_same_scores(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path, "n1")
    with_header = tmp_path / "with"
    without = tmp_path / "without"
    with_header.mkdir()
    without.mkdir()
    assert _run(_graph(with_header), seeds, tmp_path / "a.csv") == 0
    assert _run(_graph(without, header=False), seeds, tmp_path / "b.csv") == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_ids_with_commas_are_quoted(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text('src,dst,weight\n"a,1",b,1\nb,"a,1",2\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert _run(edges, _seeds(tmp_path, "b"), out) == 0
    assert {row[0] for row in _read(out)[1:]} == {"a,1", "b"}


BAD_LINES = [
    ("n1,n2", "line 4: expected 3 columns (src,dst,weight), found 2"),
    ("n1,n2,1,7", "line 4: expected 3 columns (src,dst,weight), found 4"),
    ("", "line 4: expected 3 columns (src,dst,weight), found 0"),
    ("n1,n2,lots", "line 4: weight 'lots' is not a number"),
    ("n1,n2,", "line 4: weight '' is not a number"),
    ("n1,n2,-0.5", "line 4: weight '-0.5' is negative"),
    ("n1,n2,NaN", "line 4: weight 'NaN' is not a finite number"),
    ("n1,n2,inf", "line 4: weight 'inf' is not a finite number"),
    (",n2,1", "line 4: the src id is empty"),
    ("n1,,1", "line 4: the dst id is empty"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_a_bad_line_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text(f"src,dst,weight\nn1,n2,1\nn2,n3,2\n{line}\nn3,n1,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert _run(edges, _seeds(tmp_path, "n1"), out) == rank_cli.EXIT_BAD_INPUT
    assert f"{edges}: {message}" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "seeds.txt"]


def test_a_bad_line_far_down_a_file_without_a_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edges = _graph(tmp_path, header=False, edges=5000)
    with edges.open("a", encoding="utf-8") as handle:
        handle.write("n1,n2,-3\n")
    assert _run(edges, _seeds(tmp_path, "n1"), tmp_path / "out.csv") == 2
    assert "line 5001: weight '-3' is negative" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("seeds", "message"),
    [(["n1", "nobody"], "line 2: seed 'nobody' is not a node of the edges"), ([], "no seeds")],
)
def test_a_bad_seed_file_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seeds: list[str], message: str
) -> None:
    seed_file = _seeds(tmp_path, *seeds)
    assert _run(_graph(tmp_path), seed_file, tmp_path / "out.csv") == 2
    assert f"{seed_file}: {message}" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_or_missing_edge_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "edges.csv"
    empty.write_text("src,dst,weight\n", encoding="utf-8")
    seeds = _seeds(tmp_path, "n1")
    assert _run(empty, seeds, tmp_path / "out.csv") == 2
    assert _run(tmp_path / "missing.csv", seeds, tmp_path / "out.csv") == 2
    assert "no edges" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_the_tsunagu_command_ranks_without_setting_up_django(tmp_path: Path) -> None:
    edges, seeds, out = _graph(tmp_path), _seeds(tmp_path, "n1"), tmp_path / "out.csv"
    program = (
        "import sys; from tsunagu.cli import main; "
        f"code = main(['trust', 'rank', '--edges', {str(edges)!r}, '--seeds', {str(seeds)!r}, "
        f"'--out', {str(out)!r}]); print('django' in sys.modules); raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert "trust rank" in done.stderr  # the progress bar
    assert _read(out)[0] == ["node", "score"]
