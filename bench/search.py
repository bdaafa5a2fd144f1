"""Job search on 100,000 realistic Japanese and English jobs, on SQLite (FTS5) and PostgreSQL
(GIN), against a plain ``LIKE`` scan of the same rows in the same run, with recall on a labelled
query set.

    uv run python -m bench.search [--jobs 100000] [--databases sqlite,postgres] [--write]

Each database gets its own benchmark database (a file under the temp folder; PostgreSQL database
``tsunagu_bench_search`` at ``--postgres-url``), migrated and filled once (``--rebuild`` fills it
again). A timed search is what the job search page runs for page 1 of an anonymous visitor,
``selectors.job_search`` sorted by relevance: the count, the first 20 jobs with their category,
skills and client badges. The scan builds the same page with
``title LIKE %w% OR description LIKE %w%`` for each word, newest first.

The machine may be shared: the timed pass runs ``--repeat`` times and the table shows the median
of each figure over the passes, the CPU time per search (this process plus, on PostgreSQL, the
server backend, read from /proc) and the load average while it ran.

Recall: for each labelled query the relevant jobs are those whose normalised title or
description contains every query word (a CJK word as a substring, a Latin word as a prefix of a
word); recall = relevant jobs the search finds / relevant jobs, over every match
(``job_search_queryset``). The search page lists at most ``SEARCH_LIMIT`` jobs, the newest
matches: "listed" checks that it lists exactly the newest ``SEARCH_LIMIT`` relevant jobs and says
"1,000+" exactly when more are relevant. Precision is printed too: the bigram index may also
return jobs where the bigrams of a 3+ character word occur apart.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:search:start -->", "<!-- bench:search:end -->"
HEADER = """# Benchmarks

Each section below is written by the benchmark command it names, between its own markers; run
the command again to refresh it. Numbers depend on the machine and on what else it was doing.
"""
P95_TARGET_MS = 50.0
SPEEDUP_TARGET = 10.0

# --- realistic text --------------------------------------------------------------------------

JA_ITEMS = [
    "商品説明",
    "ブログ記事",
    "会社案内",
    "採用ページ",
    "メルマガ",
    "取扱説明書",
    "観光ガイド",
    "レシピ記事",
    "不動産広告",
    "アプリ画面",
    "ゲームシナリオ",
    "セミナー資料",
    "口コミ",
    "ニュース記事",
]
JA_TASKS = [
    ("{item}の日英翻訳", "翻訳"),
    ("{item}の英日翻訳", "翻訳"),
    ("{item}の記事作成", "ライティング"),
    ("{item}のリライト", "ライティング"),
    ("YouTube動画編集者募集（{item}）", "動画"),
    ("{item}の動画編集", "動画"),
    ("{item}のデータ入力", "データ入力"),
    ("{item}のバナーデザイン", "デザイン"),
    ("{item}用イラスト制作", "イラスト"),
    ("{item}の写真撮影", "写真"),
    ("{item}の校正・校閲", "校正"),
    ("{item}の文字起こし", "文字起こし"),
    ("{item}のSNS運用代行", "SNS"),
    ("{item}のLP制作", "Web制作"),
]
JA_SENTENCES = [
    "継続してお願いできる方を募集しています。",
    "初心者の方も歓迎します。",
    "納期は相談に応じます。",
    "マニュアルをお渡しします。",
    "実績のある方を優遇します。",
    "修正は2回まで対応をお願いします。",
    "テロップとBGMの挿入もお願いします。",
    "用語集とスタイルガイドがあります。",
    "週に一度、進捗をチャットで共有してください。",
    "文字単価は経験に応じて決めます。",
    "在宅で作業できる方、平日の日中に連絡が取れる方。",
    "納品はGoogleドキュメントでお願いします。",
    "SEOを意識した構成でお願いします。",
    "ネイティブチェックができる方は歓迎です。",
    "サムネイル作成もできる方は優遇します。",
    "長期的なお付き合いを希望しています。",
    "トライアル後に本契約となります。",
    "スプレッドシートへの入力作業です。",
    "写真のレタッチも含みます。",
    "字幕の翻訳経験がある方を探しています。",
]
JA_RARE = ["量子コンピュータ", "盆栽", "茶道", "囲碁", "落語"]
EN_ITEMS = [
    "product pages",
    "blog posts",
    "a mobile app",
    "a travel guide",
    "a podcast",
    "an e-book",
    "a landing page",
    "a SaaS dashboard",
    "an online course",
    "a newsletter",
    "a game",
    "a restaurant website",
    "a YouTube channel",
    "a real estate listing",
]
EN_TASKS = [
    ("Japanese to English translation of {item}", "translation"),
    ("Write {item}", "writing"),
    ("Video editing for {item}", "video"),
    ("Logo and banner design for {item}", "design"),
    ("Python developer to build {item}", "python"),
    ("WordPress developer for {item}", "wordpress"),
    ("Data entry for {item}", "data entry"),
    ("Proofreading {item}", "proofreading"),
    ("Illustrations for {item}", "illustration"),
    ("Subtitles for {item}", "subtitles"),
    ("SEO copywriting for {item}", "seo"),
    ("React developer for {item}", "react"),
]
EN_SENTENCES = [
    "We are looking for a reliable freelancer for ongoing work.",
    "Beginners are welcome.",
    "The deadline is flexible.",
    "A style guide and glossary are provided.",
    "Please share your portfolio in your proposal.",
    "Two rounds of revisions are included.",
    "Experience with Django and PostgreSQL is a plus.",
    "Native English speakers preferred.",
    "We pay per article, depending on experience.",
    "Weekly progress updates by chat, please.",
    "Subtitles must be delivered as SRT files.",
    "Knowledge of Japanese culture is helpful.",
    "You will work with our marketing team in Tokyo.",
    "The trial task is paid.",
    "Long-term collaboration is possible for the right person.",
    "Figma files are available.",
]
EN_RARE = ["blockchain", "bonsai", "kintsugi", "origami", "ikebana"]

# labelled queries: (query, what it tests)
QUERIES = [
    ("翻訳", "2-char ja, common"),
    ("記事", "2-char ja"),
    ("動画", "2-char ja inside 動画編集者募集"),
    ("訳", "1-char ja"),
    ("盆栽", "2-char ja, rare"),
    ("動画編集", "4-char ja"),
    ("商品説明 翻訳", "two ja words"),
    ("文字起こし", "hiragana+kanji"),
    ("量子コンピュータ", "long, rare"),
    ("茶道", "rare"),
    ("レタッチ", "katakana"),
    ("ネイティブチェック", "katakana, long"),
    ("python", "en word"),
    ("translation", "en word"),
    ("wordpress developer", "two en words"),
    ("subtit", "en prefix"),
    ("bonsai", "en rare"),
    ("kintsugi", "en rare"),
    ("video editing", "en"),
    ("youtube 動画", "mixed"),
    ("seo", "short en"),
    ("figma", "en"),
]


def make_job(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.6:
        template, _topic = rng.choice(JA_TASKS)
        title = template.format(item=rng.choice(JA_ITEMS))
        sentences = rng.sample(JA_SENTENCES, rng.randint(3, 6))
        if rng.random() < 0.01:
            sentences.insert(
                rng.randint(0, len(sentences)), f"{rng.choice(JA_RARE)}に関する内容です。"
            )
        return title, "".join(sentences)
    template, _topic = rng.choice(EN_TASKS)
    title = template.format(item=rng.choice(EN_ITEMS))
    sentences = rng.sample(EN_SENTENCES, rng.randint(3, 6))
    if rng.random() < 0.01:
        sentences.insert(rng.randint(0, len(sentences)), f"The topic is {rng.choice(EN_RARE)}.")
    return title, " ".join(sentences)


# --- setup -----------------------------------------------------------------------------------


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(count: int, *, rebuild: bool) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from tsunagu.accounts.models import User
    from tsunagu.jobs import search
    from tsunagu.jobs.models import Category, Job, JobKind, JobSearchDocument, Visibility
    from tsunagu.jobs.tokenize import token_string

    have = Job.objects.count()
    if have == count and not rebuild:
        print(f"  {have} jobs already loaded", flush=True)
        return
    rng = random.Random(20240601)
    started = time.perf_counter()
    with transaction.atomic():
        search.fts_clear()
        JobSearchDocument.objects.all().delete()
        Job.objects.all().delete()
        clients = []
        for i in range(300):
            user = User.objects.filter(email=f"bench-client-{i}@bench.example").first()
            if user is None:
                user = User(email=f"bench-client-{i}@bench.example")
                user.set_unusable_password()
                user.save()
            clients.append(user)
        categories = list(Category.objects.all())
        now = timezone.now()
        batch: list[Job] = []
        texts: list[tuple[str, str]] = []

        def flush() -> None:
            Job.objects.bulk_create(batch)
            search.job_documents_bulk_create(
                JobSearchDocument(
                    job_id=j.pk,
                    tokens=token_string(f"{t}\n{t}\n{d}"),
                    markers=" ".join(
                        search.job_markers(
                            job_id=j.pk,
                            status=j.status,
                            visibility=j.visibility,
                            category_id=j.category_id,
                            kind=j.kind,
                        )
                    ),
                )
                for j, (t, d) in zip(batch, texts, strict=True)
            )
            batch.clear()
            texts.clear()

        for _ in range(count):
            title, description = make_job(rng)
            kind = rng.choice([JobKind.FIXED, JobKind.FIXED, JobKind.MILESTONES, JobKind.HOURLY])
            high = rng.choice([5, 10, 20, 30, 50, 80, 100, 200, 500]) * 1000
            cap = rng.choice([5, 10, 20]) if kind == JobKind.HOURLY else None
            if kind == JobKind.HOURLY:
                high = rng.choice([1200, 1500, 2000, 3000, 4000])
            batch.append(
                Job(
                    client=rng.choice(clients),
                    title=title,
                    description=description,
                    category=rng.choice(categories),
                    kind=kind,
                    budget_min=high // 2,
                    budget_max=high,
                    weekly_hours_cap=cap,
                    budget_estimate=high * cap * 4 if cap else high,
                    status="open" if rng.random() < 0.9 else "closed",
                    visibility=Visibility.PUBLIC if rng.random() < 0.95 else Visibility.INVITE_ONLY,
                    published_at=now - datetime.timedelta(minutes=rng.randint(0, 90 * 24 * 60)),
                )
            )
            texts.append((title, description))
            if len(batch) >= 2000:
                flush()
        if batch:
            flush()
    # A rebuild deletes the old rows first: compact the tables so every run starts from the
    # same state as a first load, however many rebuilds came before.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO jobs_job_fts(jobs_job_fts) VALUES ('optimize')")
            cursor.execute("VACUUM")
            cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        old = raw.autocommit
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("VACUUM (FULL, ANALYZE) jobs_job, jobs_jobsearchdocument")
            cursor.execute("VACUUM ANALYZE")
        raw.autocommit = old
    print(f"  loaded {count} jobs in {time.perf_counter() - started:.0f} s", flush=True)


# --- measuring -------------------------------------------------------------------------------


def search_page(query: str) -> tuple[int, list[int]]:
    from tsunagu.jobs.selectors import SearchParams, job_search

    result = job_search(viewer=None, params=SearchParams(query=query), page_number=1)
    return result.page.paginator.count, [card.job.pk for card in result.cards]


def scan_page(query: str) -> tuple[int, list[int]]:
    """The same page (count, 20 jobs with category, skills and badges) found with LIKE."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from tsunagu.accounts.selectors import verified_levels_for
    from tsunagu.jobs.models import Job
    from tsunagu.jobs.selectors import JOBS_PER_PAGE, _with_card_details
    from tsunagu.jobs.tokenize import runs

    qs = Job.objects.filter(status="open", visibility="public")
    for _kind, word in runs(query):
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    page = Paginator(_with_card_details(qs.order_by("-published_at", "-id")), JOBS_PER_PAGE).page(1)
    jobs = list(page.object_list)
    verified_levels_for(user_ids=[j.client_id for j in jobs])
    return page.paginator.count, [j.pk for j in jobs]


def relevant_ids(query: str) -> set[int]:
    from tsunagu.jobs.models import Job
    from tsunagu.jobs.tokenize import normalise, runs

    words = runs(query)
    out: set[int] = set()
    rows = Job.objects.filter(status="open", visibility="public").values_list(
        "pk", "title", "description"
    )
    for pk, title, description in rows.iterator(chunk_size=5000):
        text = normalise(f"{title}\n{description}")
        ok = True
        for kind, word in words:
            if kind == "cjk":
                ok = word in text
            else:
                ok = re.search(r"(?<![0-9a-z])" + re.escape(word), text) is not None
            if not ok:
                break
        if ok:
            out.add(pk)
    return out


def found_ids(query: str) -> set[int]:
    from tsunagu.jobs.selectors import SearchParams, job_search_queryset

    qs = job_search_queryset(viewer=None, params=SearchParams(query=query, sort="newest"))
    return set(qs.values_list("pk", flat=True))


def listed_ok(query: str, relevant: set[int]) -> bool:
    """The search page lists exactly the newest SEARCH_LIMIT relevant jobs, with the right
    count and "1,000+" flag."""
    from tsunagu.jobs import selectors

    params = selectors.SearchParams(query=query)
    ids, capped = selectors._index_search(viewer=None, params=params)
    page = selectors.job_search(viewer=None, params=params, page_number=1)
    newest = set(sorted(relevant, reverse=True)[: selectors.SEARCH_LIMIT])
    return (
        set(ids) == newest
        and capped == (len(relevant) > selectors.SEARCH_LIMIT)
        and page.capped == capped
        and page.page.paginator.count == len(newest)
        and [c.job.pk for c in page.cards] == ids[:20]
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 elsewhere)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server is on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(fn: Any, queries: list[str], rounds: int) -> dict[str, float]:
    for q in queries:  # warm the caches once
        fn(q)
    timings: list[float] = []
    cpu0, server0 = time.process_time(), _server_cpu()
    started = time.perf_counter()
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            fn(q)
            timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu0 + _server_cpu() - server0
    return {
        "p50": percentile(timings, 0.5),
        "p95": percentile(timings, 0.95),
        "qps": len(timings) / elapsed,
        "cpu": cpu * 1000 / len(timings),
    }


def run_one(
    name: str, url: str, count: int, rounds: int, repeat: int, rebuild: bool
) -> dict[str, Any]:
    print(f"{name}: {url}", flush=True)
    configure(url)
    load(count, rebuild=rebuild)
    from django.db import connection

    queries = [q for q, _ in QUERIES]
    load_before = os.getloadavg()[0]
    passes = [measure(search_page, queries, rounds) for _ in range(repeat)]
    scan = measure(scan_page, queries, max(1, rounds // 5))
    load_after = os.getloadavg()[0]
    recall: list[tuple[str, str, int, int, float, float, bool]] = []
    for query, note in QUERIES:
        relevant = relevant_ids(query)
        found = found_ids(query)
        hit = len(relevant & found)
        r = hit / len(relevant) if relevant else 1.0
        p = hit / len(found) if found else 1.0
        recall.append((query, note, len(relevant), len(found), r, p, listed_ok(query, relevant)))

    def median(key: str) -> float:
        return statistics.median(m[key] for m in passes)

    result = {
        "name": name,
        "vendor": connection.vendor,
        "p50": median("p50"),
        "p95": median("p95"),
        "qps": median("qps"),
        "cpu": median("cpu"),
        "passes": passes,
        "scan_p50": scan["p50"],
        "scan_p95": scan["p95"],
        "scan_qps": scan["qps"],
        "scan_cpu": scan["cpu"],
        "load": (load_before, load_after),
        "recall": recall,
        "mean_recall": statistics.mean(r[4] for r in recall),
        "mean_precision": statistics.mean(r[5] for r in recall),
        "listed_ok": all(r[6] for r in recall),
    }
    print(
        f"  search p50 {result['p50']:.1f} ms p95 {result['p95']:.1f} ms {result['qps']:.0f} q/s "
        f"cpu {result['cpu']:.1f} ms (passes: "
        + ", ".join(f"{m['p50']:.1f}/{m['p95']:.1f}" for m in passes)
        + f"); LIKE p50 {scan['p50']:.1f} ms p95 {scan['p95']:.1f} ms cpu {scan['cpu']:.1f} ms; "
        f"recall {result['mean_recall']:.3f} precision {result['mean_precision']:.3f} "
        f"listed {'ok' if result['listed_ok'] else 'WRONG'}; load {load_before:.1f}->{load_after:.1f}",
        flush=True,
    )
    return result


def render(results: list[dict[str, Any]], count: int, rounds: int, repeat: int) -> str:
    lines = [
        START,
        "## Job search (`bench/search.py`)",
        "",
        f"{count:,} jobs (60 % Japanese, 40 % English, 90 % open, 5 % invite-only), "
        f"{len(QUERIES)} labelled queries × {rounds} rounds, one process, sequential, "
        f"median of {repeat} passes. "
        "A search is page 1 of the job search page for an anonymous visitor "
        "(`selectors.job_search`, by relevance): the count and the first 20 jobs with category, "
        "skills and client badges. The scan builds the same page with `LIKE '%word%'` on title "
        "and description, sorted by date. CPU is per search: this "
        "process plus the PostgreSQL backend. "
        f"Target: p95 ≤ {P95_TARGET_MS:.0f} ms and ≥ {SPEEDUP_TARGET:.0f}× faster than the scan.",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; run {datetime.datetime.now(datetime.UTC).date().isoformat()}; "
        "load average (1 min) during each run: "
        + ", ".join(f"{r['name']} {r['load'][0]:.1f}→{r['load'][1]:.1f}" for r in results)
        + ".",
        "",
        "| database | search p50 | search p95 | search q/s | search CPU | LIKE p50 | LIKE p95 "
        "| LIKE q/s | LIKE CPU | speed-up (p50) | recall | precision | listed | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        speedup = r["scan_p50"] / r["p50"] if r["p50"] else 0.0
        ok = r["p95"] <= P95_TARGET_MS and speedup >= SPEEDUP_TARGET
        lines.append(
            f"| {r['name']} | {r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['qps']:.0f} "
            f"| {r['cpu']:.1f} ms | {r['scan_p50']:.0f} ms | {r['scan_p95']:.0f} ms "
            f"| {r['scan_qps']:.1f} | {r['scan_cpu']:.0f} ms "
            f"| {speedup:.1f}× | {r['mean_recall']:.3f} | {r['mean_precision']:.3f} "
            f"| {'exact' if r['listed_ok'] else 'WRONG'} | {'met' if ok else 'missed'} |"
        )
    lines += [
        "",
        "A search by relevance is answered from the index: status, visibility, category and type "
        "are marker tokens in it, so the page takes the 1,000 newest matches (by id) from the "
        "index, ranks only those, and the jobs table confirms those rows; when more match, the "
        "page says “1,000+” (`JobPage.capped`, `count_capped` in the API). “listed” checks that "
        "the page lists exactly the newest 1,000 relevant jobs and says “1,000+” exactly when "
        "more are relevant; recall is measured over every match (`job_search_queryset`). "
        "LIKE CPU on PostgreSQL leaves out the parallel workers of the scan.",
        "",
        "Passes (p50 / p95): "
        + "; ".join(
            f"{r['name']} " + ", ".join(f"{m['p50']:.1f} / {m['p95']:.1f} ms" for m in r["passes"])
            for r in results
        )
        + ".",
        "",
        "Recall and precision per labelled query (relevant = contains every word):",
        "",
    ]
    header = "| query | what | relevant |" + "".join(
        f" found ({r['name']}) | recall ({r['name']}) |" for r in results
    )
    lines += [header, "|---|---|---:|" + "---:|---:|" * len(results)]
    for i, (query, note, relevant, *_rest) in enumerate(results[0]["recall"]):
        row = f"| `{query}` | {note} | {relevant} |"
        for r in results:
            _q, _n, _rel, found, rec, _p, _listed = r["recall"][i]
            row += f" {found} | {rec:.3f} |"
        lines.append(row)
    lines.append(END)
    return "\n".join(lines)


def write_doc(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else HEADER
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _old, tail = rest.split(END, 1)
        current = head + text + tail
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (median shown)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/tsunagu_bench_search"
    )
    parser.add_argument(
        "--sqlite-path", default=str(Path(tempfile.gettempdir()) / "tsunagu-bench-search.sqlite3")
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--write", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    urls = {"sqlite": f"sqlite:///{args.sqlite_path}", "postgres": args.postgres_url}
    if args.child:  # one database per process: Django is configured once per process
        import json

        result = run_one(
            args.child, urls[args.child], args.jobs, args.rounds, args.repeat, args.rebuild
        )
        Path(args.out).write_text(json.dumps(result))
        return
    import json

    if "postgres" in args.databases:
        import psycopg
        from psycopg import sql

        name = args.postgres_url.rsplit("/", 1)[1]
        base = args.postgres_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    results = []
    for db in args.databases.split(","):
        out = Path(tempfile.gettempdir()) / f"bench-search-{db}.json"
        cmd = [
            sys.executable,
            "-m",
            "bench.search",
            "--child",
            db,
            "--out",
            str(out),
            "--jobs",
            str(args.jobs),
            "--rounds",
            str(args.rounds),
            "--repeat",
            str(args.repeat),
            "--postgres-url",
            args.postgres_url,
            "--sqlite-path",
            args.sqlite_path,
        ]
        if args.rebuild:
            cmd.append("--rebuild")
        subprocess.run(cmd, check=True, cwd=ROOT)  # noqa: S603
        results.append(json.loads(out.read_text()))
    text = render(results, args.jobs, args.rounds, args.repeat)
    print(text)
    if args.write:
        write_doc(text)


if __name__ == "__main__":
    main()
