"""Match quality, measured: the labelled cases, the OpenSanctions name checks and the cross-script pairs.

Run by hand (not by CI's pass/fail):  python bench/eval_quality.py [--threshold N] [--show-misses]
Needs ../shared (the full 2022 CSL and the peer suites) beside the project.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screen.match import DEFAULT_THRESHOLD, compare_names  # noqa: E402
from screen.screening import Screener  # noqa: E402
from tests.cases.evaluate import case_passes, load_cases  # noqa: E402

SHARED = ROOT.parent / "shared"
CSL = SHARED / "data" / "csl-2022-04" / "consolidated.csv.gz"
CHECKS = SHARED / "peer-suites" / "nomenklatura-name-benchmark" / "checks.yml"
CROSS = SHARED / "peer-suites" / "watchman-cross-script" / "cross_script_pairs.csv"


def evaluate_cases(threshold: float, show: bool) -> None:
    screeners = {
        "csl2022": Screener.open([CSL], bundled=False, threshold=threshold),
        "bundled": Screener.open([], bundled=True, threshold=threshold),
    }
    tally: Counter[tuple[str, str, bool]] = Counter()
    negatives_alerting: Counter[str] = Counter()
    for case in load_cases():
        finding = screeners[case.against].screen(case.query, case.country or None)
        ok = case_passes(case, finding)
        tally[(case.against, case.expect, ok)] += 1
        if case.expect == "no_match" and finding.status == "alert":
            negatives_alerting[case.against] += 1
        if show and not ok:
            best = finding.alerts[0] if finding.alerts else None
            got = f"{best.score:.0f} {best.record.name!r} via {best.matched_name!r}" if best else finding.status
            print(f"  MISS {case.id:32} {case.expect:8} {case.query!r} -> {got}")
    print(f"Labelled cases (tests/cases/names.csv), threshold {threshold:g}:")
    for against in ("csl2022", "bundled"):
        pos_ok, pos_bad = tally[(against, "match", True)], tally[(against, "match", False)]
        neg_ok, neg_bad = tally[(against, "no_match", True)], tally[(against, "no_match", False)]
        n_neg = neg_ok + neg_bad
        print(
            f"  {against:8} recall {pos_ok}/{pos_ok + pos_bad} = {pos_ok / max(1, pos_ok + pos_bad):.3f}; "
            f"negatives passed {neg_ok}/{n_neg}; negatives with any alert {negatives_alerting[against]}/{n_neg} "
            f"= {negatives_alerting[against] / max(1, n_neg):.3f}"
        )


def evaluate_peer_suites(threshold: float, show: bool) -> None:
    screener = Screener.open([CSL], bundled=False)  # word weights from the full CSL
    checks = yaml.safe_load(CHECKS.read_text(encoding="utf-8"))["checks"]

    def name(side: dict) -> str:
        return side.get("name") or " ".join(side[k] for k in ("firstName", "middleName", "lastName") if side.get(k))

    tp = fp = fn = tn = 0
    for check in checks:
        score, _ = compare_names(name(check["query"]), name(check["candidate"]), screener.index)
        predicted = score >= threshold
        tp += predicted and check["match"]
        fp += predicted and not check["match"]
        fn += not predicted and check["match"]
        tn += not predicted and not check["match"]
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    print(f"OpenSanctions name checks ({len(checks)} pairs): precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
          f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    passed = total = 0
    with CROSS.open(encoding="utf-8") as fh:
        for row in csv.reader(line for line in fh if line.strip() and not line.startswith("#")):
            query, expected, minimum = row[0], row[1], float(row[2])
            score, _ = compare_names(query, expected, screener.index)
            total += 1
            ok = score / 100 >= minimum
            passed += ok
            if show and not ok:
                print(f"  cross-script miss: {query} / {expected}: {score:.0f} (needs {minimum * 100:.0f})")
    print(f"Cross-script pairs: {passed}/{total} reach their minimum score")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    evaluate_cases(args.threshold, args.show_misses)
    evaluate_peer_suites(args.threshold, args.show_misses)
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
