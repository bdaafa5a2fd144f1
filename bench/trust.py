"""Network trust benchmark: `tsunagu trust rank` end to end, its iteration against a bare sparse
product, networkx's PageRank side by side, and how much trust a fake ring gets.

    uv run python -m bench.trust [--nodes 1000000] [--edges 10000000] [--runs 3] [--no-write]

1. A graph of ``--nodes`` nodes and ``--edges`` edges is generated into a temporary folder as
   CSV (ids like ``u123456``; sources uniform, destinations heavy-tailed, as reputations are;
   weights 0.1–4.6, the range of ``pair_weight``) with 1,000 random seeds, and
   ``tsunagu trust rank`` runs on it ``--runs`` times as a child process: wall time and peak
   resident memory (``wait4``) of each run; the target is at most 5 s and 1.5 GB.
2. On the same graph, in this process: the mean time of one EigenTrust iteration and of one
   SybilRank step against one bare ``csr_array @ vector`` product on the same matrix.
3. On a graph of ``--nx-edges`` edges (a tenth as many nodes): ``networkx.pagerank`` with the
   same teleport, seeds and stopping change, against ``global_trust`` including building its
   matrix from the edge arrays (the networkx graph is built before its clock starts). Target:
   at least 50 times faster.
4. Sybil figures: an honest graph of ``--sybil-honest`` people (ten contracts each) and a ring
   of ``--ring`` fake accounts trading twenty capped five-star contracts each among themselves;
   10, 100 and 1,000 attack edges (an honest client hires a ring member, both rate five stars).
   For each, the ring's share of all trust and its best member's percentile among honest people,
   for ``global_trust`` and for plain EigenTrust (a = 0.15) in the same run. Target: a lower ring
   share at every count.

The results are printed and written to docs/benchmarks.md between the ``bench:trust`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from tsunagu.trust import engine, rank_cli

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:trust:start -->", "<!-- bench:trust:end -->"
WALL_TARGET = 5.0
MEMORY_TARGET = 1.5 * 2**30
SPEEDUP_TARGET = 50
ATTACK_EDGES = (10, 100, 1000)


def generate(folder: Path, *, nodes: int, edges: int, seed: int = 7) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    names = pa.array(np.char.add("u", np.arange(nodes).astype(str)))
    src = rng.integers(0, nodes, edges)
    dst = rng.permutation(nodes)[
        np.minimum((rng.pareto(1.2, edges) * 1000).astype(np.int64), nodes - 1)
    ]
    weight = np.round(rng.uniform(0.1, 4.6, edges), 3)
    table = pa.table(
        {"src": names.take(pa.array(src)), "dst": names.take(pa.array(dst)), "weight": weight}
    )
    edge_file, seed_file = folder / "edges.csv", folder / "seeds.txt"
    with edge_file.open("wb") as handle:
        handle.write(b"src,dst,weight\n")
        pacsv.write_csv(
            table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none")
        )
    chosen = rng.choice(nodes, 1000, replace=False)
    seed_file.write_text("".join(f"u{i}\n" for i in chosen), encoding="utf-8")
    return edge_file, seed_file


def _command() -> list[str]:
    beside = Path(sys.executable).with_name("tsunagu")
    found = str(beside) if beside.exists() else shutil.which("tsunagu")
    return [found] if found else [sys.executable, "-m", "tsunagu.cli"]


def end_to_end(edge_file: Path, seed_file: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of one `tsunagu trust rank` run."""
    command = [*_command(), "trust", "rank", "--edges", str(edge_file), "--seeds", str(seed_file)]
    began = time.perf_counter()
    child = subprocess.Popen([*command, "--out", str(out), "--no-progress"])  # noqa: S603
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"tsunagu trust rank failed with status {child.returncode}")
    return elapsed, usage.ru_maxrss * 1024


def per_iteration(edge_file: Path, seed_file: Path) -> dict[str, float]:
    nodes, src, dst, weight = rank_cli.read_edges(edge_file)
    seeds = rank_cli.read_seeds(seed_file, nodes)
    graph = engine.graph_from_edges(src, dst, weight, nodes)
    del src, dst, weight
    vector = np.full(graph.size, 1.0 / graph.size)
    products = []
    for _ in range(20):
        began = time.perf_counter()
        graph.inbound @ vector
        products.append(time.perf_counter() - began)
    began = time.perf_counter()
    _trust, iterations, _residual = engine.eigentrust(graph, seeds)
    iteration = (time.perf_counter() - began) / iterations
    steps = max(1, int(np.ceil(np.log2(graph.size))))
    began = time.perf_counter()
    engine.sybil_gate(graph, seeds, steps=steps)
    step = (time.perf_counter() - began) / steps
    product = statistics.median(products)
    return {
        "product": product,
        "iteration": iteration,
        "iterations": iterations,
        "step": step,
        "steps": steps,
        "nnz": graph.inbound.nnz,
    }


def against_networkx(edges: int, seed: int = 11) -> dict[str, float]:
    import networkx as nx

    nodes = edges // 10
    rng = np.random.default_rng(seed)
    src = rng.integers(0, nodes, edges)
    dst = rng.permutation(nodes)[
        np.minimum((rng.pareto(1.2, edges) * 100).astype(np.int64), nodes - 1)
    ]
    weight = rng.uniform(0.1, 4.6, edges)
    keep = src != dst
    src, dst, weight = src[keep], dst[keep], weight[keep]
    seeds = rng.choice(nodes, 100, replace=False)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(nodes))
    graph.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True))
    personal = dict.fromkeys(seeds.tolist(), 1.0)
    began = time.perf_counter()
    nx.pagerank(
        graph,
        alpha=1 - engine.TELEPORT,
        personalization=personal,
        dangling=personal,
        tol=engine.TOLERANCE / nodes,  # networkx stops at an L1 change of nodes * tol
        weight="weight",
        max_iter=engine.MAX_ITERATIONS,
    )
    theirs = time.perf_counter() - began
    names = [str(node) for node in range(nodes)]
    ours_runs = []
    for _ in range(3):
        began = time.perf_counter()
        trust = engine.graph_from_edges(src, dst, weight, names)
        engine.global_trust(trust, seeds)
        ours_runs.append(time.perf_counter() - began)
    ours = statistics.median(ours_runs)
    return {
        "edges": len(src),
        "nodes": nodes,
        "networkx": theirs,
        "ours": ours,
        "speedup": theirs / ours,
    }


def sybil(honest: int, ring: int, seed: int = 13) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed)
    per_person = 10
    src = np.repeat(np.arange(honest), per_person)
    dst = rng.integers(0, honest, honest * per_person)
    weight = rng.uniform(0.5, engine.VALUE_CAP, honest * per_person)
    members = np.arange(honest, honest + ring)
    ring_src = np.repeat(members, 20)
    ring_dst = honest + rng.integers(0, ring, ring * 20)
    ring_weight = np.full(ring * 20, engine.PAIR_CAP)  # dense, capped five-star contracts
    seeds = rng.choice(honest, max(1, honest // 100), replace=False)
    attack_weight = engine.pair_weight(
        value=30_000, starred_value=30_000, endorsed=False, referred=False, shared=False
    )
    rows = []
    for count in ATTACK_EDGES:
        clients = rng.integers(0, honest, count)
        hired = honest + rng.integers(0, ring, count)
        graph = engine.graph_from_edges(
            np.concatenate([src, ring_src, clients, hired]),
            np.concatenate([dst, ring_dst, hired, clients]),
            np.concatenate([weight, ring_weight, np.full(2 * count, attack_weight)]),
            [str(node) for node in range(honest + ring)],
        )
        result = engine.global_trust(graph, seeds)
        mask = np.zeros(graph.size, dtype=bool)
        mask[members] = True
        row: dict[str, float] = {"attack_edges": count}
        for name, scores in (("ours", result.scores), ("plain", result.eigentrust)):
            row[f"{name}_share"] = engine.share(scores, mask)
            row[f"{name}_percentile"] = float((scores[~mask] < scores[mask].max()).mean() * 100)
        rows.append(row)
    return rows


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def section(
    args: argparse.Namespace,
    runs: list[tuple[float, int]],
    it: dict[str, float],
    nx_: dict[str, float],
    rows: list[dict[str, float]],
    size: int,
) -> str:
    walls = [wall for wall, _rss in runs]
    peaks = [rss for _wall, rss in runs]
    wall, peak = statistics.median(walls), max(peaks)
    met = {
        "wall": wall <= WALL_TARGET,
        "memory": peak <= MEMORY_TARGET,
        "speedup": nx_["speedup"] >= SPEEDUP_TARGET,
        "sybil": all(r["ours_share"] < r["plain_share"] for r in rows),
    }
    table = "\n".join(
        f"| {r['attack_edges']:,.0f} | {r['ours_share']:.2e} | {r['plain_share']:.2e} "
        f"| {r['plain_share'] / r['ours_share']:.1f}× | {r['ours_percentile']:.1f} | {r['plain_percentile']:.1f} |"
        for r in rows
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())

    def verdict(key: str) -> str:
        return "met" if met[key] else "**missed**"

    return f"""{START}
## Network trust (`bench/trust.py`)

Command: `uv run python -m bench.trust --nodes {args.nodes} --edges {args.edges} --runs {args.runs}`
(`tsunagu trust rank` as a child process on a generated CSV of {size / 2**20:,.0f} MiB; networkx
on {nx_["edges"]:,.0f} edges; Sybil graph of {args.sybil_honest:,} honest people and a ring of {args.ring:,}).

- python {platform.python_version()}, {platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores
- load average at the end (1/5/15 min): {load}
- date: {dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M} UTC

| measure | result | target |
| --- | --- | --- |
| `tsunagu trust rank`, {args.nodes:,} nodes / {args.edges:,} edges, wall (median of {len(runs)}; each run) | {wall:.2f} s ({", ".join(f"{w:.2f}" for w in walls)}) | ≤ {WALL_TARGET:.0f} s: {verdict("wall")} |
| peak resident memory (largest run) | {_mib(peak)} | ≤ 1.5 GiB: {verdict("memory")} |
| one EigenTrust iteration / one bare CSR product ({it["nnz"]:,.0f} nonzeros) | {it["iteration"] * 1e3:.1f} ms / {it["product"] * 1e3:.1f} ms = {it["iteration"] / it["product"]:.2f}× ({it["iterations"]:.0f} iterations) | |
| one SybilRank step (two products, single precision) / one bare CSR product | {it["step"] * 1e3:.1f} ms = {it["step"] / it["product"]:.2f}× ({it["steps"]:.0f} steps) | |
| `networkx.pagerank` / `global_trust` on {nx_["nodes"]:,.0f} nodes, {nx_["edges"]:,.0f} edges | {nx_["networkx"]:.2f} s / {nx_["ours"] * 1e3:.0f} ms = {nx_["speedup"]:.0f}× | ≥ {SPEEDUP_TARGET}×: {verdict("speedup")} |

Sybil ring ({args.ring:,} fake accounts, 20 capped five-star contracts each; an attack edge is a
real contract in which an honest client hires a ring member, rated both ways). Percentile: the
share of honest people that the ring's best member outranks.

| attack edges | ring share, gated | ring share, EigenTrust a = 0.15 | EigenTrust ÷ gated | best member percentile, gated | best member percentile, EigenTrust |
| --- | --- | --- | --- | --- | --- |
{table}

Lower ring share than plain EigenTrust at every count: {verdict("sybil")}. The gate multiplies
EigenTrust by a SybilRank factor that is itself about proportional to the trust crossing the
attack edges, so the gated share starts far lower and grows faster than linearly while staying
below EigenTrust's, which grows in proportion to the attack edges.
{END}"""


def write_doc(text: str) -> None:
    current = REPORT.read_text(encoding="utf-8")
    if START in current and END in current:
        head, rest = current.split(START, 1)
        current = head + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    REPORT.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nx-edges", type=int, default=1_000_000)
    parser.add_argument("--sybil-honest", type=int, default=100_000)
    parser.add_argument("--ring", type=int, default=1_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-trust-") as folder:
        print("generating the graph ...", flush=True)
        edge_file, seed_file = generate(Path(folder), nodes=args.nodes, edges=args.edges)
        size = edge_file.stat().st_size
        runs = []
        for run in range(args.runs):
            wall, peak = end_to_end(edge_file, seed_file, Path(folder) / "scores.csv")
            print(f"run {run + 1}: {wall:.2f} s, {_mib(peak)}", flush=True)
            runs.append((wall, peak))
        it = per_iteration(edge_file, seed_file)
        print(
            f"iteration {it['iteration'] * 1e3:.1f} ms, bare product {it['product'] * 1e3:.1f} ms"
        )
    nx_ = against_networkx(args.nx_edges)
    print(
        f"networkx {nx_['networkx']:.2f} s, ours {nx_['ours'] * 1e3:.0f} ms: {nx_['speedup']:.0f}x"
    )
    rows = sybil(args.sybil_honest, args.ring)
    for row in rows:
        print(row)
    text = section(args, runs, it, nx_, rows, size)
    print(text)
    if not args.no_write:
        write_doc(text)
    ok = (
        statistics.median(w for w, _r in runs) <= WALL_TARGET
        and max(r for _w, r in runs) <= MEMORY_TARGET
        and nx_["speedup"] >= SPEEDUP_TARGET
        and all(r["ours_share"] < r["plain_share"] for r in rows)
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
