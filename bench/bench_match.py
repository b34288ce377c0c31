"""Matching speed against the full 2022 CSL, and a naive baseline measured in the same run.

Run by hand:  python bench/bench_match.py [--names 4000]
Prints: bundled-list load time, index build time, cached load time, one `ecscreen check` process
(start to exit, cache warm), names per second on one core, and the same for rapidfuzz
process.extract with WRatio over every listed name and alias (the naive baseline), as a ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from bench.make_names import unlisted, variant  # noqa: E402

from screen.index import NameIndex  # noqa: E402
from screen.graph import Graph  # noqa: E402
from screen.lists import load_store  # noqa: E402
from screen.lists.store import _bundled  # noqa: E402
from screen.screening import Screener  # noqa: E402

CSL = ROOT.parent / "shared" / "data" / "csl-2022-04" / "consolidated.csv.gz"

def realistic_names(listed: list[str], n: int, seed: int = 7) -> list[str]:
    """About 30% listed names with realistic variants, the rest unlisted (make_names' word pools)."""
    rng = random.Random(seed)
    return [
        variant(rng, rng.choice(listed), False) if i % 10 < 3 else unlisted(rng)[0]
        for i in range(n)
    ]


def timed(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=4000)
    args = parser.parse_args()
    rows = []

    _bundled.cache_clear()
    rows.append(("bundled lists: load (parse + checksum)", f"{timed(lambda: (_bundled.cache_clear(), load_store()), 5):.3f} s"))

    store = load_store([CSL], bundled=False)
    build = timed(lambda: NameIndex(store.records.values()), 2)
    rows.append((f"full 2022 CSL ({len(store.records):,} records): index build", f"{build:.2f} s"))

    with tempfile.TemporaryDirectory() as cache:
        os.environ["ECSCREEN_CACHE_DIR"] = cache
        cold = timed(lambda: Screener.open([CSL], bundled=False, cache_dir=Path(cache)), 1)
        warm = timed(lambda: Screener.open([CSL], bundled=False, cache_dir=Path(cache)), 5)
        rows.append(("Screener.open, cold (parse CSL + build index + write cache)", f"{cold:.2f} s"))
        rows.append(("Screener.open, cached", f"{warm:.3f} s"))
        for fmt in ("json", "table"):
            command = [sys.executable, "-m", "screen", "check", "Huawei Technologies", "--no-bundled", "--list",
                       str(CSL), "--format", fmt]
            subprocess.run(command, capture_output=True, check=False)
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                runs.append(time.perf_counter() - started)
            rows.append((f"`ecscreen check --format {fmt}` process, cache warm (median of 5)",
                         f"{statistics.median(runs):.3f} s"))

        screener = Screener.open([CSL], bundled=False, cache_dir=Path(cache))
    listed = [r.name for r in store.records.values()]
    names = realistic_names(listed, args.names)
    started = time.perf_counter()
    alerts = sum(screener.screen(name).status == "alert" for name in names)
    ours = len(names) / (time.perf_counter() - started)
    rows.append((f"ecscreen: {len(names):,} names, one core ({alerts:,} alerted)", f"{ours:,.0f} names/s"))

    # Linked risk on the bundled lists (which carry the relationships): the same screener with and
    # without its relationship graph, so the difference is the linked-risk lookups alone.
    bundled = Screener.open()
    no_graph = Screener.open()
    no_graph.graph = Graph(no_graph.store.records, ())
    bundled_names = realistic_names([r.name for r in bundled.store.records.values()], args.names, seed=11)
    without = with_links = float("inf")
    for _ in range(5):  # interleaved, best of five each: the machine's noise hits both alike
        without = min(without, timed(lambda: [no_graph.screen(n) for n in bundled_names], 1))
        with_links = min(with_links, timed(lambda: [bundled.screen(n) for n in bundled_names], 1))
    linked = sum(bool(bundled.screen(n).paths) for n in bundled_names)
    rows.append((f"bundled lists, {len(bundled_names):,} names: screening without the graph",
                 f"{len(bundled_names) / without:,.0f} names/s"))
    rows.append((f"bundled lists: with linked-risk lookups ({linked:,} names with paths)",
                 f"{len(bundled_names) / with_links:,.0f} names/s ({(with_links - without) / len(bundled_names) * 1e6:+.0f} µs a name)"))

    choices = [n for r in store.records.values() for n in r.names()]
    sample = names[: max(50, len(names) // 20)]
    started = time.perf_counter()
    for name in sample:
        process.extract(name, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=10, score_cutoff=80)
    naive = len(sample) / (time.perf_counter() - started)
    rows.append((f"naive baseline: process.extract WRatio over {len(choices):,} names ({len(sample)} names)", f"{naive:,.0f} names/s"))
    rows.append(("ratio ecscreen / naive", f"{ours / naive:,.1f}x"))

    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
