"""Batch screening speed and memory: 10k and 200k realistic names, 1 and 2 workers, against the full CSL.

Run by hand:  python bench/bench_batch.py [--sizes 10000 200000] [--workers 1 2] [--csl PATH]

Each run is `ecscreen batch NAMES -o OUT.csv --no-bundled --list CSL --workers N` in a fresh process;
names/s comes from the run record (OUT.csv.meta.json), peak RSS from getrusage of that process (the
parent) and of its children (the largest worker). The name files come from bench/make_names.py and
are kept in --data between runs; the screener cache is warmed before the first timed run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.make_names import CSL, generate  # noqa: E402


def one(args: list[str]) -> None:
    """Child mode: run the CLI in this process, then report its own and its workers' peak RSS."""
    from screen.cli import cli

    started = time.perf_counter()
    try:
        cli.main(args, prog_name="ecscreen", standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = exc.code
    wall = time.perf_counter() - started
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"exit": code, "wall": wall, "parent_kb": self_kb, "worker_kb": children_kb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--csl", type=Path, default=CSL)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ecscreen-bench")
    args = parser.parse_args()

    args.data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"Warming the screener cache for {args.csl} ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-c", "import sys; from screen.screening import Screener; "
         "Screener.open([sys.argv[1]], bundled=False)", str(args.csl)],
        check=True, env=env, cwd=ROOT,
    )
    rows = []
    for size in args.sizes:
        names = args.data / f"names-{size}.csv"
        if not names.exists():
            generate(size, names, csl=args.csl)
        for workers in args.workers:
            out = args.data / f"out-{size}-{workers}.csv"
            cmd = [sys.executable, __file__, "--one", "batch", str(names), "-o", str(out), "--no-bundled",
                   "--list", str(args.csl), "--workers", str(workers)]
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
            try:
                report = json.loads(done.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                sys.exit(f"run failed:\n{done.stderr}")
            run = json.loads((out.parent / (out.name + ".meta.json")).read_text())["ecscreen_run"]
            rows.append((size, workers, run["seconds"], report["wall"], run["names_per_second"],
                         run["counts"]["alert"], report["parent_kb"] / 1024, report["worker_kb"] / 1024))
            print(f"  {size:,} rows, {workers} worker(s): {run['names_per_second']:,.0f} names/s", file=sys.stderr)

    print(f"ecscreen batch against {args.csl.name} ({os.cpu_count()} CPUs)")
    head = ("rows", "workers", "screening s", "process s", "names/s", "alerts", "peak RSS parent MB",
            "peak RSS worker MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---:" for _ in head) + "|")
    for size, workers, seconds, wall, rate, alerts, parent, worker in rows:
        worker_text = f"{worker:,.0f}" if workers > 1 else "-"
        print(f"| {size:,} | {workers} | {seconds:,.1f} | {wall:,.1f} | {rate:,.0f} | {alerts:,} | {parent:,.0f} | {worker_text} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2:])
    else:
        main()
