"""``tsunagu trust rank``: global trust from an edge list, with no Django set up.

    tsunagu trust rank --edges EDGES.csv --seeds SEEDS.txt --out SCORES.csv

Input:

- ``EDGES.csv``: one edge a line, ``src,dst,weight``: two node ids (any non-empty text; quoted
  as in CSV when they hold a comma) and the local trust from src to dst, a finite number of
  zero or more. The first line is a header, and skipped, when it reads ``src,dst,weight``
  exactly (case and surrounding spaces aside); otherwise it is an edge. Repeated edges add up;
  an edge from a node to itself is ignored.
- ``SEEDS.txt``: the pre-trusted nodes, one id a line (surrounding spaces and blank lines
  ignored); each must appear in the edges.

Output: ``SCORES.csv`` with the header ``node,score`` and one line per node, the most trusted
first (ties in the order the nodes first appear), scores summing to 1. It is written to a
temporary file beside it and renamed into place, so it is either whole or absent. On a bad
line the command names its line number and what is wrong, exits with status 2 and writes
nothing. A progress bar goes to stderr.

The file is read by pyarrow's multi-threaded CSV reader and the ids are dictionary-encoded in
one pass; the scoring is ``tsunagu.trust.engine.global_trust``.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from tqdm import tqdm

from tsunagu.trust import engine

HEADER = ("src", "dst", "weight")
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """The input cannot be ranked; the message names the file and, where there is one, the line."""


def _has_header(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline(4096)
    text = first.decode("utf-8", errors="replace").strip().lower()
    return tuple(part.strip() for part in text.split(",")) == HEADER


def _weight_problem(text: str) -> str | None:
    try:
        value = float(text)
    except ValueError:
        return f"weight {text!r} is not a number"
    if not math.isfinite(value):
        return f"weight {text!r} is not a finite number"
    if value < 0:
        return f"weight {text!r} is negative"
    return None


def _row_problem(row: list[str]) -> str | None:
    if len(row) != len(HEADER):
        return f"expected 3 columns (src,dst,weight), found {len(row)}"
    if not row[0]:
        return "the src id is empty"
    if not row[1]:
        return "the dst id is empty"
    return _weight_problem(row[2])


def _first_bad_line(path: Path, *, header: bool) -> str | None:
    """The slow, exact look for the first bad line, run only once the fast reader has refused."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        rows = csv.reader(handle)
        for number, row in enumerate(rows, start=1):
            if number == 1 and header:
                continue
            problem = _row_problem(row)
            if problem is not None:
                return f"line {rows.line_num}: {problem}"
    return None


def read_edges(path: Path) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """(node ids, src indices, dst indices, weights) from the edge file, or ``BadInput``."""
    header = _has_header(path)
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=list(HEADER), skip_rows=1 if header else 0, use_threads=True
            ),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={"src": pa.string(), "dst": pa.string(), "weight": pa.float64()},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        where = _first_bad_line(path, header=header)
        raise BadInput(f"{path}: {where or error}") from None
    if table.num_rows == 0:
        raise BadInput(f"{path}: no edges")
    first_line = 2 if header else 1
    # a missing or NaN weight is null here and NaN in numpy, so one test finds every bad weight
    weights = np.asarray(table.column("weight").to_numpy(), dtype=np.float64)
    bad = ~(np.isfinite(weights) & (weights >= 0))
    if bad.any():
        where = _first_bad_line(path, header=header)
        raise BadInput(f"{path}: {where or f'line {first_line + int(bad.argmax())}: bad weight'}")
    nodes, src, dst = _encode(table.column("src"), table.column("dst"))
    del table
    empty = pc.index_in(pa.array([""], pa.string()), value_set=nodes)[0].as_py()
    if empty is not None:
        row = int(np.flatnonzero((src == empty) | (dst == empty))[0])
        where = _first_bad_line(path, header=header)
        raise BadInput(f"{path}: {where or f'line {first_line + row}: an empty id'}")
    return nodes, src, dst, weights


def _codes(encoded: pa.ChunkedArray) -> np.ndarray:
    return np.concatenate(
        [chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]
    ).astype(np.int32, copy=False)


def _encode(src: pa.ChunkedArray, dst: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """One index per distinct id, in order of first appearance among the sources, then the
    destinations. The two columns are hashed on two threads (pyarrow lets go of the GIL), then
    the destinations' dictionary, at most one entry per node, is mapped into the sources'."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        encoded_src, encoded_dst = pool.map(pc.dictionary_encode, (src, dst))
    src_nodes = encoded_src.chunk(0).dictionary
    dst_nodes = encoded_dst.chunk(0).dictionary
    src_codes, dst_codes = _codes(encoded_src), _codes(encoded_dst)
    position = pc.index_in(dst_nodes, value_set=src_nodes)
    new = pc.is_null(position)
    extra = pc.filter(dst_nodes, new)
    mapping = np.asarray(position.to_numpy(zero_copy_only=False), dtype=np.float64)
    missing = np.isnan(mapping)
    mapping[missing] = len(src_nodes) + np.arange(int(missing.sum()))
    nodes = pa.concat_arrays([src_nodes, extra])
    return nodes, src_codes, mapping.astype(np.int32)[dst_codes]


def read_seeds(path: Path, nodes: pa.Array) -> np.ndarray:
    """Indices of the seeds in ``nodes``, or ``BadInput`` naming the first unknown one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise BadInput(f"{path}: no seeds")
    found = pc.index_in(pa.array([seed for _n, seed in numbered], pa.string()), value_set=nodes)
    for (number, seed), where in zip(numbered, found.to_pylist(), strict=True):
        if where is None:
            raise BadInput(f"{path}: line {number}: seed {seed!r} is not a node of the edges")
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


@contextmanager
def _atomic(path: Path) -> Iterator[int]:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        yield descriptor
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_scores(path: Path, nodes: pa.Array, scores: np.ndarray) -> None:
    order = engine.ranked(scores)
    table = pa.table({"node": nodes.take(pa.array(order)), "score": pa.array(scores[order])})
    needs_quotes = pc.any(pc.match_substring_regex(table.column("node"), r'[,"\r\n]')).as_py()
    with _atomic(path) as descriptor, os.fdopen(descriptor, "wb") as handle:
        handle.write(b"node,score\n")
        pacsv.write_csv(
            table,
            handle,
            pacsv.WriteOptions(
                include_header=False, quoting_style="needed" if needs_quotes else "none"
            ),
        )


def rank(
    *,
    edges: Path,
    seeds: Path,
    out: Path,
    teleport: float = engine.TELEPORT,
    tolerance: float = engine.TOLERANCE,
    progress: bool = True,
) -> engine.GlobalTrust:
    with tqdm(
        total=4, desc="trust rank", unit="step", file=sys.stderr, disable=not progress
    ) as bar:
        bar.set_postfix_str("reading edges")
        nodes, src, dst, weight = read_edges(edges)
        seed_indices = read_seeds(seeds, nodes)
        bar.update()
        bar.set_postfix_str(f"{len(nodes):,} nodes, {len(weight):,} edges")
        graph = engine.graph_from_edges(src, dst, weight, nodes)
        del src, dst, weight
        bar.update()

        def report(iteration: int, residual: float) -> None:
            bar.set_postfix_str(f"iteration {iteration}, change {residual:.1e}")

        result = engine.global_trust(
            graph, seed_indices, teleport=teleport, tolerance=tolerance, progress=report
        )
        bar.update()
        bar.set_postfix_str(f"writing {out}")
        write_scores(out, nodes, result.scores)
        bar.update()
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tsunagu trust rank",
        description="Global trust (EigenTrust gated by SybilRank) from an edge list.",
    )
    parser.add_argument("--edges", type=Path, required=True, help="CSV of src,dst,weight")
    parser.add_argument("--seeds", type=Path, required=True, help="pre-trusted ids, one a line")
    parser.add_argument("--out", type=Path, required=True, help="CSV of node,score to write")
    parser.add_argument("--teleport", type=float, default=engine.TELEPORT)
    parser.add_argument("--tolerance", type=float, default=engine.TOLERANCE)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if not 0 < args.teleport < 1:
        parser.error("--teleport must be between 0 and 1")
    try:
        rank(
            edges=args.edges,
            seeds=args.seeds,
            out=args.out,
            teleport=args.teleport,
            tolerance=args.tolerance,
            progress=not args.no_progress,
        )
    except BadInput as error:
        print(f"tsunagu trust rank: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"tsunagu trust rank: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
