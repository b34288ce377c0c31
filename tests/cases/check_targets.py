#!/usr/bin/env python3
"""Verify tests/cases/names.csv against the raw list data it was built from.

Checks, for every row:
  * the columns, ids, expect/against/category/target_list values are well formed;
  * a non-empty `target` exists verbatim (whitespace collapsed) as a primary name or alias
    of an entry on `target_list` in the data named by `against`:
      csl2022 -> ../shared/data/csl-2022-04/consolidated.csv.gz (name + alt_names)
      bundled -> ../shared/data/us-lists-2026-07/*.json (name + aliases), the UVL rows of the
                 2022 CSL, the ASPI tracker (value, its English and Chinese halves, aliases,
                 laboratories and subsidiaries) and the record names of affiliations/FACTS.md;
  * every `match` row has a target;
  * a `no_match` query is not itself (after casefolding and dropping punctuation) a listed name
    or alias anywhere in its `against` data;
  * `homoglyph` rows really mix Latin with Cyrillic or Greek letters.

The raw data is not part of the project; point ECSCREEN_RAW_DATA at it if it is not at
../shared/data relative to the project root.  Exit status 0 when every row passes.

Usage: python tests/cases/check_targets.py [path/to/names.csv]
"""
import collections
import csv
import gzip
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("ECSCREEN_RAW_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))
sys.path.insert(0, ROOT)

from screen.lists import csl  # noqa: E402

COLUMNS = ["id", "query", "country", "expect", "target", "target_list", "against", "category", "note"]
CATEGORIES = set("""exact case_punct typo reorder legal_form abbreviation ampersand spelling acronym alias
diacritics homoglyph chinese traditional pinyin cyrillic person generic_words extra_word different_entity
unrelated""".split())
LISTS = {"EL", "UVL", "MEU", "DPL", "SDN", "SSI", "DTC", "ISN", "CMIC", "1260H", "1286", "AFFIL"}
CSL_SOURCES = {source: code for source, code in csl.CSL_SOURCES.items() if code in LISTS}
BUNDLED_FILES = {"bis_entity_list": "EL", "bis_meu": "MEU", "bis_dpl": "DPL", "dow_1260h": "1260H",
                 "dow_1286": "1286", "ofac_nscmic": "CMIC"}


def ws(s):
    return re.sub(r"\s+", " ", s).strip()


def loose(s):
    s = unicodedata.normalize("NFKD", s).casefold()
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def csl_names(row):
    out = [row["name"]]
    for alias in row["alt_names"].split("; ") if row["alt_names"].strip() else []:
        out.append(alias)
        if alias.startswith("and "):
            out.append(alias[4:])
    return out


def split_paren(s):
    """'English name (中文名)' -> [whole, English, 中文名]."""
    m = re.match(r"^(.*?)\s*[\(（]([^()（）]*)[\)）]?\s*$", s)
    if not m or not re.search(r"[\u3400-\u9fff]", m.group(2)):
        return [s]
    return [s, m.group(1), m.group(2)]


def facts_names(text):
    names = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("|") or cells[0] in ("record", "relationship") or set(cells[0]) <= set("-"):
            continue
        first = cells[0]
        m = re.match(r"^(.*?)\s*\(([^)]*)\)$", first)
        if m:
            names.append(m.group(1))
            names.extend(x.strip() for x in re.split(r"[,;]", m.group(2)))
        names.append(first)
        for aka in re.findall(r"Also known as ([^.]*)\.", cells[1]):
            names.extend(x.strip() for x in aka.split(";"))
        names.extend(re.findall(r"registered English name is ([^.]*?\.,? Ltd\.)", cells[1]))
    return names


def load():
    """-> {against: {list_code: set(names)}}"""
    idx = {"csl2022": collections.defaultdict(set), "bundled": collections.defaultdict(set)}
    with gzip.open(os.path.join(DATA, "csl-2022-04", "consolidated.csv.gz"), "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = CSL_SOURCES.get(row["source"], "OTHER:" + row["source"])
            names = {ws(n) for n in csl_names(row)}
            idx["csl2022"][code] |= names
            if code == "UVL":
                idx["bundled"]["UVL"] |= names
    for fname, code in BUNDLED_FILES.items():
        with open(os.path.join(DATA, "us-lists-2026-07", fname + ".json"), encoding="utf-8") as f:
            for e in json.load(f)["entities"]:
                idx["bundled"][code] |= {ws(n) for n in [e["name"]] + list(e["aliases"] or [])}
    with open(os.path.join(DATA, "aspi-unitracker-2020", "china-defence-universities.json"), encoding="utf-8") as f:
        for v in json.load(f)["values"]:
            names = split_paren(v["value"]) + list(v["meta"].get("aliases", []))
            for key in ("major defence laboratories", "subsidiaries"):
                for lab in v["meta"].get(key, []):
                    names += split_paren(lab)
            idx["bundled"]["AFFIL"] |= {ws(n) for n in names}
    with open(os.path.join(DATA, "affiliations", "FACTS.md"), encoding="utf-8") as f:
        idx["bundled"]["AFFIL"] |= {ws(n) for n in facts_names(f.read()) if n}
    return idx


def main(path):
    idx = load()
    loose_all = {ag: {loose(n) for names in lists.values() for n in names} for ag, lists in idx.items()}
    errors, seen = [], set()
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    if raw.startswith("\ufeff"):
        errors.append("file starts with a BOM")
    rows = list(csv.DictReader(raw.splitlines()))
    if rows and list(rows[0].keys()) != COLUMNS:
        errors.append("columns are %s" % list(rows[0].keys()))
    verified = 0
    for r in rows:
        rid = r["id"]
        def err(msg):
            errors.append("%s: %s" % (rid, msg))
        if not rid or rid in seen:
            err("missing or duplicate id")
        seen.add(rid)
        if not r["query"].strip():
            err("empty query")
        if r["expect"] not in ("match", "no_match"):
            err("bad expect %r" % r["expect"])
        if r["against"] not in idx:
            err("bad against %r" % r["against"])
            continue
        if r["category"] not in CATEGORIES:
            err("bad category %r" % r["category"])
        if r["country"] and not re.fullmatch(r"[A-Z]{2}", r["country"]):
            err("bad country %r" % r["country"])
        if r["target"]:
            if r["target_list"] not in LISTS:
                err("bad target_list %r" % r["target_list"])
            elif ws(r["target"]) not in idx[r["against"]].get(r["target_list"], ()):
                err("target %r not found on %s in %s" % (r["target"], r["target_list"], r["against"]))
            else:
                verified += 1
        elif r["expect"] == "match":
            err("match row without target")
        elif r["target_list"]:
            err("target_list without target")
        if r["expect"] == "no_match" and loose(r["query"]) in loose_all[r["against"]]:
            err("no_match query %r is itself a listed name in %s" % (r["query"], r["against"]))
        if r["category"] == "homoglyph":
            scripts = {unicodedata.name(ch, "").split()[0] for ch in r["query"] if ch.isalpha()}
            if not ({"LATIN"} <= scripts and scripts & {"CYRILLIC", "GREEK"}):
                err("homoglyph query does not mix Latin with Cyrillic/Greek: %s" % sorted(scripts))
    by = lambda key: collections.Counter(r[key] for r in rows)
    print("rows: %d" % len(rows))
    print("expect: %s" % dict(by("expect")))
    print("against: %s" % dict(by("against")))
    print("expect x against: %s" % dict(collections.Counter((r["expect"], r["against"]) for r in rows)))
    print("target_list: %s" % dict(by("target_list")))
    print("category: %s" % dict(sorted(by("category").items())))
    print("category x expect: %s" % dict(sorted(collections.Counter((r["category"], r["expect"]) for r in rows).items())))
    print("country given: %d rows" % sum(1 for r in rows if r["country"]))
    print("distinct targets: %d" % len({(r["against"], r["target_list"], ws(r["target"])) for r in rows if r["target"]}))
    print("targets verified: %d of %d rows with a target" % (verified, sum(1 for r in rows if r["target"])))
    for e in errors:
        print("ERROR", e)
    print("errors: %d" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "names.csv")))
