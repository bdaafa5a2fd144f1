"""Contact guard benchmark: quality and speed against scrubadub, measured in the same run.

    uv run python -m bench.guard [--messages 20000] [--peer-messages 2000] [--no-write]

Quality is precision and recall on the labelled development set (tests/guard/cases). For the
contact class both the guard and the peer are scored: the peer counts a message as contact when
it finds any e-mail, phone number, URL, social handle or credential in it. Speed is the number of
messages of about 80 characters scanned per second of CPU time on one core (CPU time rather than
wall time, so that other work on the machine does not count against either side).

The results are printed as a table and written to docs/benchmarks.md between the
``bench:guard`` markers; the rest of that file is left as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from tests.guard.devset import Scores, single_cases
from tsunagu.guard import scan

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:guard:start -->", "<!-- bench:guard:end -->"
TARGET_LENGTH = 80


def corpus(size: int, *, clean_only: bool = False) -> tuple[list[str], float]:
    """Development-set messages, short ones followed by ordinary talk, about 80 characters each."""
    cases = single_cases()
    filler = [case.text for case in cases if case.verdict == "clean"]
    messages: list[str] = []
    index = 0
    for case in cases:
        if clean_only and case.verdict != "clean":
            continue
        text = case.text
        while len(text) < TARGET_LENGTH - 20:
            text = f"{text} {filler[index % len(filler)]}"
            index += 1
        messages.append(text)
    out = [messages[i % len(messages)] for i in range(size)]
    return out, sum(map(len, out)) / len(out)


def throughput(
    name: str, check: Callable[[str], object], messages: list[str], rounds: int
) -> float:
    """Best messages per CPU second over ``rounds`` passes."""
    best = 0.0
    batch = 500
    with tqdm(total=len(messages) * rounds, desc=f"speed {name}", unit="msg", leave=False) as bar:
        for _round in range(rounds):
            spent = 0.0
            for start in range(0, len(messages), batch):
                chunk = messages[start : start + batch]
                began = time.process_time()
                for message in chunk:
                    check(message)
                spent += time.process_time() - began
                bar.update(len(chunk))
            best = max(best, len(messages) / spent if spent else float("inf"))
    return best


def peer() -> Callable[[str], bool]:
    """scrubadub with its default detectors for Japanese text (offline, no models needed)."""
    import scrubadub

    scrubber = scrubadub.Scrubber(locale="ja_JP")

    def is_contact(text: str) -> bool:
        return any(True for _filth in scrubber.iter_filth(text))

    return is_contact


def quality(name: str, verdict: Callable[[str], str]) -> Scores:
    cases = single_cases()
    scores = Scores()
    for case in tqdm(cases, desc=f"quality {name}", unit="msg", leave=False):
        scores.add(case.id, case.verdict, verdict(case.text))
    return scores


def machine() -> dict[str, str]:
    uname = platform.uname()
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "machine": f"{uname.system} {uname.release} {uname.machine}",
        "cpu": cpu,
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "∞"


def write_section(section: str) -> None:
    block = f"{START}\n{section.rstrip()}\n{END}"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.guard", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--messages", type=int, default=20_000, help="messages for the guard")
    parser.add_argument("--peer-messages", type=int, default=2_000, help="messages for the peer")
    parser.add_argument("--rounds", type=int, default=3, help="passes; the best one counts")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)

    load_before = _load()
    is_contact = peer()
    ours = quality("guard", lambda text: scan(text).verdict)
    theirs = quality("scrubadub", lambda text: "contact" if is_contact(text) else "clean")

    messages, mean_length = corpus(args.messages)
    guard_speed = throughput("guard", scan, messages, args.rounds)
    peer_speed = throughput("scrubadub", is_contact, messages[: args.peer_messages], 1)
    clean, _clean_length = corpus(args.messages, clean_only=True)
    guard_clean = throughput("guard clean", scan, clean, args.rounds)
    peer_clean = throughput("scrubadub clean", is_contact, clean[: args.peer_messages], 1)

    rows = [
        ("contact precision", ours.precision("contact"), theirs.precision("contact")),
        ("contact recall", ours.recall("contact"), theirs.recall("contact")),
    ]
    lines = [
        "| measure | guard | scrubadub | guard / scrubadub |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | {a:.3f} | {b:.3f} | {ratio(a, b)} |" for name, a, b in rows]
    lines.append(
        f"| messages per CPU second, whole set | {guard_speed:,.0f} | {peer_speed:,.0f} | "
        f"{ratio(guard_speed, peer_speed)} |"
    )
    lines.append(
        f"| messages per CPU second, clean messages only | {guard_clean:,.0f} | "
        f"{peer_clean:,.0f} | {ratio(guard_clean, peer_clean)} |"
    )
    lines += [
        f"| solicitation precision / recall | {ours.precision('solicit'):.3f} / "
        f"{ours.recall('solicit'):.3f} | — | — |",
        f"| false positives on clean messages | {ours.false_positive_rate():.2%} | "
        f"{theirs.false_positive_rate():.2%} | — |",
    ]
    table = "\n".join(lines)
    print(table)

    info = machine()
    command = "uv run python -m bench.guard " + " ".join(sys.argv[1:] if argv is None else argv)
    section = "\n".join(
        [
            "## Contact guard",
            "",
            f"- machine: {info['machine']}; CPU: {info['cpu']}; Python {info['python']}",
            f"- date: {info['date']}; load average at the start and the end: {load_before} → "
            f"{_load()}",
            f"- command: `{command.strip()}`",
            f"- set: {ours.support('contact')} contact, {ours.support('solicit')} solicitation and "
            f"{ours.support('clean')} clean messages (tests/guard/cases); speed on "
            f"{len(messages):,} messages (guard, best of {args.rounds}) and "
            f"{min(args.peer_messages, len(messages)):,} (scrubadub) of {mean_length:.0f} "
            "characters on average",
            "- peer: scrubadub 2.0.1, `Scrubber(locale='ja_JP')` with its default detectors; a "
            "message is contact for it when it finds anything",
            "",
            table,
        ]
    )
    if not args.no_write:
        write_section(section)
        print(f"\nwrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
