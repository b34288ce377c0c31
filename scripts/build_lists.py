#!/usr/bin/env python3
"""Build the bundled lists (lists/*.jsonl and lists/manifest.json) from the raw sources in ../shared/data.

    python scripts/build_lists.py                  # regenerate lists/
    python scripts/build_lists.py --check          # CI: exit 1 if lists/ is stale
    python scripts/build_lists.py --shared PATH --out DIR

Sources (see each SOURCE.md): the July 2026 extracts of the Entity List, MEU, DPL, Section 1260H,
Section 1286 and NS-CMIC lists; the April 2022 Consolidated Screening List (newest Unverified List,
and Federal Register citations, licence policies and dates the 2026 Entity List extract lacks); the
ASPI China Defence Universities Tracker (Chinese names, acronyms, laboratories, subsidiaries); and
scripts/affiliations.json (hand-edited from affiliations/FACTS.md). The output is sorted, contains no
timestamps, and regenerates byte-identically from the same inputs.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screen.lists.clean import (  # noqa: E402
    address_country,
    assign_id,
    base_key,
    citation_texts,
    clean_license_requirement,
    clean_name,
    clean_text,
    country_code,
    dedupe_names,
    format_citations,
    guess_kind,
    has_cjk,
    is_acronym,
    iso_date,
    match_key,
    parenthetical_aliases,
    parse_citations,
    split_addresses,
    split_aka,
    split_alias_address,
    split_aliases,
    take_embedded_parent,
    split_see_also,
)
from screen.lists.csl import PendingRecord, resolve_parents  # noqa: E402
from screen.lists.store import read_file, write_jsonl  # noqa: E402
from screen.lists.validate import record_problems, relationship_problems  # noqa: E402
from screen.models import LIST_NAMES, Citation, Record, Relationship  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "lists"
AFFILIATIONS = REPO / "scripts" / "affiliations.json"

# Bundled list files, and the order in which a party on several lists is referenced.
FILES = {
    "EL": "el.jsonl", "MEU": "meu.jsonl", "DPL": "dpl.jsonl", "1260H": "1260h.jsonl", "1286": "1286.jsonl",
    "CMIC": "cmic.jsonl", "UVL": "uvl.jsonl", "AFFIL": "affil.jsonl", "REL": "relationships.jsonl",
}
PREFERENCE = ("EL", "MEU", "1260H", "CMIC", "1286", "UVL", "DPL")

# The 2026 extracts: list code -> (file, lists.json id, snapshot date of the data).
EXTRACTS = {
    "EL": ("bis_entity_list.json", "bis-entity-list", "2026-07-09"),
    "MEU": ("bis_meu.json", "bis-meu", "2026-07-09"),
    "DPL": ("bis_dpl.json", "bis-dpl", "2026-04-14"),
    "1260H": ("dow_1260h.json", "dow-1260h", "2026-06-10"),
    "1286": ("dow_1286.json", "dow-1286", "2026-07-09"),
    "CMIC": ("ofac_nscmic.json", "ofac-nscmic", "2026-07-09"),
}
EXTRACT_NOTES = {
    "EL": "eCFR text of July 2026, extracted 2026-07-09 (phagehunter/nsfreg). Federal Register citations beyond "
          "the first, the licence review policy and the date added come from the April 2022 Consolidated Screening "
          "List where it has an Entity List entry of the same name; entries added since then have no licence "
          "policy here. Affiliated entities that the extract folded into their parent's entry text (Huawei, "
          "CETC 14) are restored as records of their own from the same CSL.",
    "MEU": "eCFR text of July 2026, extracted 2026-07-09 (phagehunter/nsfreg).",
    "DPL": "BIS Denied Persons List file of 2026-04-14, extracted 2026-07-09 (phagehunter/nsfreg). Date added is the "
           "denial order's effective date.",
    "1260H": "Federal Register notice of 2026-06-10 (91 FR 35189), extracted 2026-07-09 (phagehunter/nsfreg).",
    "1286": "FY2024 Section 1286 list (public release, version 2); the list carries no date, so the snapshot date "
            "is that of the extraction (2026-07-09, phagehunter/nsfreg).",
    "CMIC": "OFAC NS-CMIC list as published in July 2026, extracted 2026-07-09 (phagehunter/nsfreg). Date added is "
            "the effective date of the listing.",
}
CSL_2022 = "csl-2022-04/consolidated.csv.gz"
CSL_2022_DATE = "2022-04-21"
CSL_2022_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
ASPI_FILE = "aspi-unitracker-2020/china-defence-universities.json"
ASPI_TITLE = "ASPI China Defence Universities Tracker"
ASPI_DATE = "2020-08-22"
AFFIL_SNAPSHOT = "2025-02-01"  # month of the newest source ([K], February 2025); the day is not known


class BuildError(Exception):
    pass


@dataclass
class Bundle:
    """Everything being built: records by id (insertion order = source order) and relationships."""

    records: dict[str, Record] = field(default_factory=dict)
    relationships: dict[tuple[str, str, str], Relationship] = field(default_factory=dict)
    taken: dict[str, set[str]] = field(default_factory=dict)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def new_id(self, code: str, name: str, country: str) -> str:
        return assign_id(code, name, country, self.taken.setdefault(code, set()))

    def add(self, record: Record) -> Record:
        if record.id in self.records:
            raise BuildError(f"duplicate record id {record.id}")
        self.records[record.id] = record
        return record

    def relate(self, rel: Relationship) -> None:
        key = (rel.subject, rel.relation, rel.object)
        if rel.subject == rel.object:
            self.log.append(f"skipped self-relationship {key}")
            return
        self.relationships.setdefault(key, rel)

    def of_list(self, code: str) -> list[Record]:
        return [r for r in self.records.values() if r.list_code == code]

    def merge_names(self, record_id: str, aliases: Iterable[str] = (), chinese: Iterable[str] = (),
                    source: Citation | None = None) -> None:
        """Add aliases and Chinese names to a record (with the citation they come from)."""
        record = self.records[record_id]
        new_aliases = dedupe_names(record.name, (*record.aliases, *aliases))
        new_chinese = dedupe_names(record.name, (*record.chinese_names, *chinese))
        if new_aliases == record.aliases and new_chinese == record.chinese_names:
            return
        sources = record.sources
        if source is not None and source not in sources:
            sources = (*sources, source)
        self.records[record_id] = replace(record, aliases=new_aliases, chinese_names=new_chinese, sources=sources)


# --- the 2026 extracts ----------------------------------------------------------------------------

def _looks_like_address(text: str) -> bool:
    """An alias that is really an address glued on by the extraction ("Kannelkatu 8, ..., Finland")."""
    return bool(re.search(r"\d", text)) and "," in text and bool(address_country(text))


def extract_record(
    bundle: Bundle, code: str, entity: dict[str, Any], citation: Citation, source_url: str,
) -> PendingRecord:
    """One entity of a 2026 extract as a record, with the parent its name embeds (if any)."""
    notes: list[str] = []
    name, aliases = split_aka(split_see_also(clean_name(entity.get("name")), notes))
    alias_texts, glued_addresses = [], []
    for alias in entity.get("aliases") or []:
        alias, akas = split_aka(clean_name(alias))
        alias, addresses = split_alias_address(alias)
        alias_texts.extend([alias, *akas])
        glued_addresses.extend(addresses)
    for alias in split_aliases(alias_texts, notes):
        alias = split_see_also(alias, notes)
        (glued_addresses if _looks_like_address(alias) else aliases).append(alias)
    name, parent = take_embedded_parent(name, aliases)
    aliases.extend(parenthetical_aliases(name))
    country = country_code(entity.get("country"))
    if entity.get("country") and not country:
        raise BuildError(f"{code}: no country code for {entity['country']!r}: add it to clean.COUNTRY_NAMES")
    addresses = (*split_addresses(entity.get("address"), notes), *glued_addresses)
    fr = entity.get("federal_register") or ""
    record = Record(
        id=bundle.new_id(code, name, country),
        list_code=code,
        name=name,
        aliases=dedupe_names(name, aliases),
        kind=guess_kind(name),
        countries=(country,) if country else (),
        addresses=tuple(dict.fromkeys(addresses)),
        federal_register=citation_texts(fr),
        added=iso_date(entity.get("effective_date")),
        license_requirement=clean_license_requirement(entity.get("notes")) if code == "EL" else "",
        source_url=source_url,
        remarks="" if code == "EL" else clean_text(entity.get("notes")),
        sources=(citation,),
    )
    return PendingRecord(record, 0, parent, notes)


def build_extract(bundle: Bundle, shared: Path, code: str, lists_meta: dict[str, Any],
                  csl_el: dict[str, list[Record]] | None = None) -> None:
    file_name, list_id, snapshot = EXTRACTS[code]
    doc = json.loads((shared / "us-lists-2026-07" / file_name).read_text(encoding="utf-8"))
    meta = lists_meta[list_id]
    citation = Citation(meta["official_name"], snapshot, meta["official_url"])
    pending = [extract_record(bundle, code, e, citation, meta["official_url"]) for e in doc["entities"]]
    if code == "EL" and csl_el is not None:
        pending = [_enrich_from_csl(p, csl_el) for p in pending]
    records, relationships = resolve_parents(pending)
    for record in records:
        bundle.add(record)
    for rel, _line in relationships:
        bundle.relate(rel)
    bundle.lists[code] = {
        "title": LIST_NAMES[code],
        "source": f"{meta['official_name']} ({meta['snapshot']}); extract {doc['source_file']} of phagehunter/nsfreg",
        "source_url": meta["official_url"],
        "snapshot_date": snapshot,
        "note": EXTRACT_NOTES[code],
    }
    if len(records) != doc["count"]:  # one record per entity; recovered affiliates come on top
        raise BuildError(f"{code}: {len(records)} records from {doc['count']} entities")


def _loose_key(name: str) -> str:
    """The join key without a trailing parenthetical: "Huawei Technologies Co., Ltd. (Huawei)"."""
    return "~" + match_key(re.sub(r"\s*\([^()]*\)$", "", name))


def _enrich_from_csl(p: PendingRecord, csl_el: dict[str, list[Record]]) -> PendingRecord:
    """Federal Register citations, licence policy and date added from the 2022 CSL's rows of that name."""
    record = p.record
    matches = csl_el.get(match_key(record.name), []) or csl_el.get(_loose_key(record.name), [])
    same_country = [m for m in matches if set(m.countries) & set(record.countries)]
    matches = same_country or matches
    if not matches:
        return p
    cites = parse_citations("; ".join(record.federal_register))
    for m in matches:
        cites.extend(parse_citations("; ".join(m.federal_register)))
    latest = max(matches, key=lambda m: m.added)
    policy = next((m.license_policy for m in [latest, *matches] if m.license_policy), "")
    added = min((m.added for m in matches if m.added), default="")
    enriched = replace(
        record,
        federal_register=format_citations(cites) if cites else record.federal_register,
        license_policy=policy,
        license_requirement=record.license_requirement or latest.license_requirement,
        added=record.added or added,
        sources=(*record.sources, Citation(  # the source of the citations, policy and date added
            "Consolidated Screening List, Entity List (April 2022 download)", CSL_2022_DATE, CSL_2022_URL)),
    )
    return PendingRecord(enriched, p.line, p.parent, p.notes)


def _name_pattern(name: str) -> re.Pattern[str]:
    """A name found in free text whatever the punctuation between its words."""
    return re.compile(r"\W*".join(re.escape(t) for t in re.findall(r"\w+", name)), re.I)


def recover_affiliates(bundle: Bundle, csl_records: list[Record], csl_relationships: list[Relationship]) -> None:
    """Affiliates the 2026 extract buried in their parent's address text get their own records back.

    The eCFR entry of Huawei Technologies lists its affiliated entities inside the entry, and the
    extraction put them into the address field ("... Hong Kong. Hangzhou Huawei Communication
    Technology Co., Ltd., Building 1, ..."). The April 2022 CSL has each as a row of its own. An
    affiliate is restored only when its name is found in the 2026 entry text: nothing is invented.
    """
    csl = {r.id: r for r in csl_records}
    el = bundle.of_list("EL")
    known = {match_key(n) for r in el for n in (r.name, *r.aliases)}
    by_key: dict[str, list[Record]] = {}
    for record in el:
        by_key.setdefault(match_key(record.name), []).append(record)
        by_key.setdefault(_loose_key(record.name), []).append(record)
    found: dict[tuple[str, str], list[Record]] = {}  # (parent id, child key) -> CSL rows
    relation_of: dict[tuple[str, str], str] = {}
    for rel in csl_relationships:
        child, parent_csl = csl[rel.subject], csl[rel.object]
        if child.list_code != "EL" or match_key(child.name) in known:
            continue
        parents = by_key.get(match_key(parent_csl.name)) or by_key.get(_loose_key(parent_csl.name)) or []
        names = [n for n in (child.name, *child.aliases) if len(re.findall(r"\w+", n)) >= 2]
        for parent in parents:
            text = " ".join(parent.addresses)
            if any(_name_pattern(n).search(text) for n in names):
                found.setdefault((parent.id, match_key(child.name)), []).append(child)
                relation_of[(parent.id, match_key(child.name))] = rel.relation
                break
    markers: dict[str, list[re.Pattern[str]]] = {}
    recovered: dict[str, int] = {}
    for (parent_id, key), rows in found.items():
        recovered[parent_id] = recovered.get(parent_id, 0) + 1
        parent, first = bundle.records[parent_id], rows[0]
        country = parent.countries[0] if parent.countries else ""
        record = Record(
            id=bundle.new_id("EL", first.name, country),
            list_code="EL",
            name=first.name,
            aliases=dedupe_names(first.name, [a for r in rows for a in r.aliases]),
            kind=first.kind or guess_kind(first.name),
            countries=parent.countries,
            addresses=tuple(dict.fromkeys(a for r in rows for a in r.addresses)),
            federal_register=format_citations(c for r in rows for c in parse_citations("; ".join(r.federal_register))),
            added=min((r.added for r in rows if r.added), default=""),
            license_requirement=parent.license_requirement,
            license_policy=first.license_policy,
            source_url=parent.source_url,
            remarks=f"Listed within the Entity List entry of {parent.name}; name, aliases and address from the "
                    "April 2022 Consolidated Screening List, where it has an entry of its own.",
            sources=(*parent.sources[:1], Citation(
                "Consolidated Screening List, Entity List (April 2022 download)", CSL_2022_DATE, CSL_2022_URL)),
        )
        bundle.add(record)
        bundle.relate(Relationship(
            subject=record.id, relation=relation_of[(parent_id, key)], object=parent.id, source=parent.sources[0],
            note=f"named in the Entity List entry of {parent.name}",
        ))
        markers.setdefault(parent_id, []).extend(
            _name_pattern(n) for n in (record.name, *record.aliases) if len(re.findall(r"\w+", n)) >= 2)
    for parent_id, patterns in markers.items():  # the parent keeps only its own addresses
        parent = bundle.records[parent_id]
        kept = []
        for address in parent.addresses:
            address = re.sub(r"^Addresses for [^:]+:\s*", "", address)
            cut = min((m.start() for p in patterns for m in [p.search(address)] if m), default=None)
            if cut is None:
                kept.append(address)
            elif cut > 0:
                kept.append(address[:cut].rstrip(" .,;"))
        bundle.records[parent_id] = replace(parent, addresses=tuple(a for a in dict.fromkeys(kept) if a))
        bundle.log.append(f"recovered {recovered[parent_id]} affiliates from the entry of {parent.name}")


def build_uvl(bundle: Bundle, csl_records: list[Record]) -> None:
    """The Unverified List rows of the April 2022 CSL (the newest UVL available), with readable ids."""
    for record in (r for r in csl_records if r.list_code == "UVL"):
        country = record.countries[0] if record.countries else ""
        bundle.add(replace(
            record, id=bundle.new_id("UVL", record.name, country),
            sources=(Citation("Consolidated Screening List, Unverified List (April 2022 download)", CSL_2022_DATE,
                              record.sources[0].url or CSL_2022_URL),),
        ))
    bundle.lists["UVL"] = {
        "title": LIST_NAMES["UVL"],
        "source": "Unverified List (Supplement No. 6 to Part 744) rows of the Consolidated Screening List download "
                  "of April 2022 (moov-io/watchman test fixture)",
        "source_url": "https://www.bis.gov/licensing/end-user-guidance/unverified-list",
        "snapshot_date": CSL_2022_DATE,
        "note": "newest Unverified List available: April 2022 CSL",
    }


# --- lookups --------------------------------------------------------------------------------------

class Index:
    """Exact normalised-name lookup over the bundled records.

    Tiers: primary names, then aliases, then both again without a trailing legal form ("Aviation
    Industry Corporation of China" = "Aviation Industry Corporation of China, Ltd."). Acronyms never
    join: they are too short to prove two parties are one.
    """

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.tiers: tuple[dict[str, list[str]], ...] = ({}, {}, {}, {})
        for record in bundle.records.values():
            self.add(record)

    def add(self, record: Record) -> None:
        by_name, by_alias, by_base_name, by_base_alias = self.tiers
        by_name.setdefault(match_key(record.name), []).append(record.id)
        by_base_name.setdefault(base_key(record.name), []).append(record.id)
        for alias in record.aliases:
            if not is_acronym(alias):
                by_alias.setdefault(match_key(alias), []).append(record.id)
                by_base_alias.setdefault(base_key(alias), []).append(record.id)

    def find(self, names: Iterable[str], codes: Iterable[str], *, aliases: bool = True) -> list[Record]:
        """Records of the given lists (in that order of preference) named by any of `names`."""
        names = [n for n in names if n and not is_acronym(n)]
        keyed = [(0, match_key(n)) for n in names] + [(2, base_key(n)) for n in names]
        out: dict[str, Record] = {}
        for code in codes:
            for tier, key in keyed:
                if not key:
                    continue
                for index in (self.tiers[tier], self.tiers[tier + 1]) if aliases else (self.tiers[tier],):
                    for rid in index.get(key, []):
                        record = self.bundle.records[rid]
                        if record.list_code == code:
                            out.setdefault(rid, record)
        return list(out.values())

    def ref(self, ref: str) -> Record:
        """"EL:Name" -> that list's record of that name (CN first); a bare name -> an AFFIL or listed record."""
        code, sep, name = ref.partition(":")
        codes = [code] if sep and code in LIST_NAMES else ["AFFIL", *PREFERENCE]
        if codes != [code]:
            name = ref
        found = self.find([name], codes)
        if not found:
            raise BuildError(f"reference {ref!r} matches no bundled record")
        found.sort(key=lambda r: (r.countries[:1] != ("CN",), list(self.bundle.records).index(r.id)))
        return found[0]


# --- the ASPI tracker -----------------------------------------------------------------------------

@dataclass
class Named:
    """A name as the tracker writes it, split into English name, aliases, Chinese names and notes."""

    name: str
    aliases: list[str] = field(default_factory=list)
    chinese: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_OPEN, _CLOSE = "(（", ")）"
_PAIR = {"(": ")", "（": "）"}
_PLACES = {"shanghai", "shenzhen", "hong kong", "tianjin", "beijing"}


def fix_brackets(text: str) -> str:
    """Balance brackets: close an unclosed one, make a closer match its opener's width, drop stray closers."""
    out, stack = [], []
    for ch in text:
        if ch in _OPEN:
            stack.append(ch)
            out.append(ch)
        elif ch in _CLOSE:
            if stack:
                out.append(_PAIR[stack.pop()])
        else:
            out.append(ch)
    out.extend(_PAIR[ch] for ch in reversed(stack))
    return "".join(out).strip()


def _bracket_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return len(text)  # unclosed ("人工智能研究中心" with no closing bracket)


def split_bilingual(text: str) -> Named:
    """"English name (中文名/中文名2)" plus trailing ", aka X", ", now known as Y (中文)" and the like."""
    text = re.sub(r"\s+", " ", text).strip()
    notes: list[str] = []
    if text.startswith("[Probable]"):
        notes.append("the tracker marks this link as probable")
        text = text[len("[Probable]"):].strip()
    english, chinese, tail = text, [], ""
    for i, ch in enumerate(text):
        if ch in _OPEN:
            end = _bracket_end(text, i)
            inner = text[i + 1:end]
            if has_cjk(inner):
                english, tail = text[:i], text[end + 1:]
                chinese, extra = _split_chinese(inner)
                notes.extend(extra)
                break
    else:
        if has_cjk(text) and not re.search(r"[A-Za-z]{3}", text):
            return Named(fix_brackets(text), chinese=[fix_brackets(text)], notes=notes)
    aliases: list[str] = []
    english = re.sub(r"\s*\[[^\]]*\]", "", english)  # "[Artificial]", "[Extremely High Frequencies]": tracker glosses
    m = re.match(r"^(?P<name>.+?),? (?:also known as|now known as|a\.k\.a\.?|aka) (?:the )?(?P<rest>.+)$", english)
    if m:
        english = m["name"]
        aliases.extend(re.split(r" or ", m["rest"]))
    m = re.match(r"^(?P<code>CASC \d+\w* Academy), (?P<rest>.+)$", english)
    if m:  # "CASC 10th Academy, China Academy of Aerospace Aerodynamics": the real name first
        english, aliases = m["rest"], [m["code"], *aliases]
    elif re.match(r"^CASC \d+\w* Academy$", english) and aliases:  # "CASC 1st Academy, a.k.a China Academy ..."
        english, aliases = aliases[0], [english, *aliases[1:]]
    english = english.strip(" ,")
    m = re.match(r"^(?P<name>.+?)\s*\((?P<note>jointly [^()]*)\)?$", english, re.I)
    if m:  # "... Marine Vibration and Noise (jointly run with CSIC 701"
        english = m["name"]
        notes.append(f"ASPI tracker: {m['note']}")
    m = re.match(r"^(?P<name>.+?)\s*\((?P<place>[^()]+)\)$", english)
    if m and (country_code(m["place"]) or m["place"].lower() in _PLACES or "Province" in m["place"]):
        english = m["name"]
        notes.append(f"location given by the tracker: {m['place']}")
    parts = [p for p in re.split(r"\s+/\s+|(?<=Hospital)/", english) if p.strip()]
    if len(parts) == 1 and " or " in english and english.count("Laborator") >= 2:
        parts = english.split(" or ")
    if parts:
        english, aliases = parts[0], [*parts[1:], *aliases]
    named = Named(_fix_glued_words(clean_name(english)), notes=notes)
    for alias in aliases:
        sub = split_bilingual(alias) if has_cjk(alias) else Named(clean_name(alias))
        named.aliases.append(_fix_glued_words(sub.name))
        named.chinese.extend(sub.chinese)
    named.chinese = [*chinese, *named.chinese]
    if tail.strip(" ,"):
        tail_m = re.match(r"^,?\s*(?:also known as|now known as|a\.k\.a\.?|aka|literally)\s+(?:the\s+)?(?P<rest>.+)$",
                          tail.strip(), re.I)
        if tail_m:
            for alias in re.split(r" or ", tail_m["rest"]):
                sub = split_bilingual(alias.strip("‘’'\" "))
                named.aliases.append(sub.name.strip("‘’'\" "))
                named.chinese.extend(sub.chinese)
    named.aliases = [a for a in named.aliases if a and "XX" not in a]
    if not named.name and named.chinese:
        named.name = named.chinese[0]
    return named


def _split_chinese(inner: str) -> tuple[list[str], list[str]]:
    chinese, notes = [], []
    for part in re.split(r"\s*(?:/|;|,| or )\s*", inner):
        part = fix_brackets(part.strip(" ‘’'\""))
        if not part:
            continue
        if has_cjk(part):
            chinese.append(part)
        elif is_acronym(part):
            notes.append(f"acronym:{part}")
        else:
            notes.append(part)
    return chinese, notes


def _fix_glued_words(text: str) -> str:
    """"State KeyLaboratoryofSoftware" -> "State Key Laboratory of Software" (tracker typesetting)."""
    text = re.sub(r"(?<=[a-z])(of|on|and)(?=[A-Z])", r" \1 ", text)
    return re.sub(r"\bKey(?=Lab)", "Key ", text)


_NOTE = re.compile(
    r"^\(?(?:jointly|established|may |possibly|probably|also |aka |based in|located|hosts|in \d{4}|it is|"
    r"not included|does not|one of|originally|previously|literally|this |the lab|under |linked to|a defence|"
    r"unspecified)", re.I)
_ALIAS_NOTE = re.compile(
    r"^(?:aka|also known as|also referred to as|literally translated as|may also(?: be)? known as)\s+(?:the\s+)?(?P<rest>.+)$",
    re.I)
_SAME_NOTE = re.compile(
    r"^(?:possibly the same as|may be another name for|may be the same as|this may be known as|may be part of|may be)"
    r"\s+(?:the\s+)?(?:[A-Z]+’s\s+)?(?P<rest>.+)$", re.I)
_JOINT_NOTE = re.compile(
    r"^\(?jointly (?:run|established)(?: in \d{4})? (?:with|by NWPU and) (?:the )?(?:PLA )?(?P<rest>[^(]+?)\)?$", re.I)
_BASED_NOTE = re.compile(r"^(?:based in )?(?P<rest>.+?) aka ", re.I)


def classify_lab_entry(text: str) -> str:
    """"lab", "alias", "same", "joint", "based" (annotations of the lab before) or "note" (dropped)."""
    text = text.strip()
    if _ALIAS_NOTE.match(text):
        return "alias"
    if _SAME_NOTE.match(text) and not text.lower().startswith("may also"):
        return "same"
    if _JOINT_NOTE.match(text):
        return "joint"
    if " aka " in text and not re.search(r"\bLab", text):
        return "based"
    if _NOTE.match(text):
        return "note"
    if re.search(r"\d$", text) and not re.search(r"Lab|Cent(?:er|re)|Institute", text):
        return "note"  # truncated fragment: "China Electronics Technology Group Corporation’s 13"
    return "lab"


class AspiBuilder:
    """Institutions, laboratories and subsidiaries of the tracker, merged into listed records where they are one."""

    def __init__(self, bundle: Bundle, index: Index, same_as: dict[str, str]) -> None:
        self.bundle, self.index, self.same_as = bundle, index, same_as
        self.units: dict[str, str] = {}  # match_key(lab or subsidiary name) -> record id

    def institution(self, value: dict[str, Any]) -> str:
        meta = value["meta"]
        url = (meta.get("refs") or [""])[0]
        citation = Citation(ASPI_TITLE, ASPI_DATE, url)
        named = split_bilingual(value["value"])
        unit_keys = set()
        for key in ("major defence laboratories", "subsidiaries"):
            for entry in meta.get(key, []):
                unit = split_bilingual(entry)
                unit_keys.update(match_key(n) for n in (unit.name, *unit.chinese))
        english, acronyms, chinese = [], [], list(named.chinese)
        for alias in meta.get("aliases", []):
            alias = clean_name(alias)
            if match_key(alias) in unit_keys:
                continue  # a laboratory or subsidiary the tracker lists among the aliases
            if has_cjk(alias):
                chinese.append(alias)
            elif is_acronym(alias):
                acronyms.append(alias)
            else:
                english.append(alias)
        listed = self._listed([named.name]) or self._listed(english)
        if listed:
            for record in listed:
                self.bundle.merge_names(record.id, acronyms, chinese, citation)
            self.bundle.log.append(f"ASPI {named.name!r} -> {', '.join(r.id for r in listed)}")
            return listed[0].id
        categories = meta.get("categories", [])
        record = Record(
            id=self.bundle.new_id("AFFIL", named.name, "CN"),
            list_code="AFFIL",
            name=named.name,
            aliases=dedupe_names(named.name, [*english, *acronyms]),
            chinese_names=dedupe_names(named.name, chinese),
            kind=_category_kind(named.name, categories),
            countries=("CN",),
            addresses=tuple(a for a in [clean_name(meta.get("address"))] if a),
            remarks="; ".join(filter(None, (
                f"ASPI tracker category: {', '.join(categories)}" if categories else "",
                f"supervising agencies: {', '.join(meta.get('supervising agencies', []))}"
                if meta.get("supervising agencies") else "",
            ))),
            source_url=url,
            sources=(citation,),
        )
        self.bundle.add(record)
        self.index.add(record)
        return record.id

    def _listed(self, names: list[str]) -> list[Record]:
        for name in names:
            if name in self.same_as:
                return [self.index.ref(self.same_as[name])]
        found = self.index.find(names, PREFERENCE)
        return sorted(found, key=lambda r: PREFERENCE.index(r.list_code))

    def unit(self, text: str, owner: str, relation: str, citation: Citation, *, previous: str | None) -> str | None:
        """One laboratory or subsidiary entry; returns the record id it named (None for an annotation)."""
        kind = classify_lab_entry(text) if relation == "laboratory_of" else "lab"
        if kind != "lab":  # an annotation of the laboratory before it
            if previous is not None:
                self._annotate(previous, owner, kind, text, citation)
            return previous
        named = split_bilingual(text)
        if not named.name:
            return None
        named.aliases.extend(parenthetical_aliases(named.name))
        acronyms = [n.split(":", 1)[1] for n in named.notes if n.startswith("acronym:")]
        notes = [n for n in named.notes if not n.startswith("acronym:")]
        key = match_key(named.name)
        rid = self.units.get(key)
        if rid is None:
            known = self.index.find([named.name], ["AFFIL"], aliases=False)  # another institution's record
            rid = known[0].id if known else None
        if rid is None:
            listed = self._listed([named.name, *named.aliases])
            if listed:
                rid = listed[0].id
                for record in listed:
                    self.bundle.merge_names(record.id, acronyms, named.chinese, citation)
                self.bundle.log.append(f"ASPI unit {named.name!r} -> {rid}")
        if rid is None:
            kind_name = "laboratory" if relation == "laboratory_of" else guess_kind(named.name)
            record = Record(
                id=self.bundle.new_id("AFFIL", named.name, "CN"),
                list_code="AFFIL",
                name=named.name,
                aliases=dedupe_names(named.name, [*named.aliases, *acronyms]),
                chinese_names=tuple(dict.fromkeys(named.chinese)),  # a Chinese-only name stays a Chinese name
                kind=kind_name,
                countries=("CN",),
                remarks="; ".join(notes),
                source_url=citation.url,
                sources=(citation,),
            )
            self.bundle.add(record)
            self.index.add(record)
            rid = record.id
        else:
            self.bundle.merge_names(rid, [*named.aliases, *acronyms], named.chinese)
            if notes and self.bundle.records[rid].list_code == "AFFIL":
                self._add_remark(rid, "; ".join(notes))
        self.units[key] = rid
        owner_name = self.bundle.records[owner].name
        self.bundle.relate(Relationship(
            subject=rid, relation=relation, object=owner, source=citation,
            note=f"{'major defence laboratory' if relation == 'laboratory_of' else 'subsidiary'} of {owner_name} "
                 "per the ASPI tracker",
        ))
        return rid

    def _annotate(self, rid: str, owner: str, kind: str, text: str, citation: Citation) -> None:
        record = self.bundle.records[rid]
        if kind == "alias":
            named = split_bilingual(_ALIAS_NOTE.match(text)["rest"].strip("‘’'\" "))
            names = [n.strip("‘’'\" ") for n in [named.name, *named.aliases] if "XX" not in n]
            self.bundle.merge_names(rid, names, [c for c in named.chinese if "XX" not in c])
        elif kind == "same" and record.list_code == "AFFIL":
            other = split_bilingual(_SAME_NOTE.match(text)["rest"]).name.rstrip(".")
            phrase = "possibly part of" if "part of" in text.lower() else "possibly the same as"
            self._add_remark(rid, f"ASPI tracker: {phrase} {other}")
        elif kind == "joint":
            partner = re.split(r",|\(", _JOINT_NOTE.match(text)["rest"])[0].strip()
            if re.search(r"\d$", partner):
                return  # truncated in the scrape ("China Aerospace Science and Industry Corporation’s 3")
            found = self._listed([partner]) or self.index.find([partner], ["AFFIL"], aliases=False)
            if found and found[0].id not in (rid, owner):
                self.bundle.relate(Relationship(
                    subject=rid, relation="joint_laboratory_with", object=found[0].id, source=citation,
                    note="jointly run with it per the ASPI tracker",
                ))
            elif record.list_code == "AFFIL":
                self._add_remark(rid, f"ASPI tracker: jointly run with {partner}")
        elif kind == "based" and record.list_code == "AFFIL":
            host = split_bilingual(_BASED_NOTE.match(text)["rest"]).name
            self._add_remark(rid, f"ASPI tracker: based in {host}")

    def _add_remark(self, rid: str, remark: str) -> None:
        record = self.bundle.records[rid]
        if remark and remark not in record.remarks:
            self.bundle.records[rid] = replace(record, remarks="; ".join(filter(None, (record.remarks, remark))))


def _category_kind(name: str, categories: list[str]) -> str:
    if "Military" in categories:
        return "military"
    if "Defence industry conglomerate" in categories:
        return "company"
    return guess_kind(name) or ("university" if "University" in name else "research_institute")


def build_aspi(bundle: Bundle, shared: Path, same_as: dict[str, str]) -> None:
    doc = json.loads((shared / ASPI_FILE).read_text(encoding="utf-8"))
    builder = AspiBuilder(bundle, Index(bundle), same_as)
    owners = [builder.institution(value) for value in doc["values"]]  # all first: units may name another
    for value, owner in zip(doc["values"], owners):
        citation = Citation(ASPI_TITLE, ASPI_DATE, (value["meta"].get("refs") or [""])[0])
        previous = None
        for entry in value["meta"].get("major defence laboratories", []):
            previous = builder.unit(entry, owner, "laboratory_of", citation, previous=previous)
        for entry in value["meta"].get("subsidiaries", []):
            builder.unit(entry, owner, "subsidiary_of", citation, previous=None)


# --- the hand-edited affiliations -----------------------------------------------------------------

def build_affiliations(bundle: Bundle, data: dict[str, Any]) -> None:
    sources = {key: Citation(s["title"], s.get("date", ""), s.get("url", "")) for key, s in data["sources"].items()}
    index = Index(bundle)
    for item in data["records"]:
        names = [item["name"], *item.get("aliases", [])]
        listed = index.find(names, PREFERENCE)
        if listed:  # on a list already: referenced by that record, not duplicated
            bundle.log.append(f"FACTS {item['name']!r} is listed as {listed[0].id}")
            continue
        if index.find(names, ["AFFIL"]):
            raise BuildError(f"FACTS record {item['name']!r} duplicates an ASPI tracker record")
        country = (item.get("countries") or [""])[0]
        record = Record(
            id=bundle.new_id("AFFIL", item["name"], country),
            list_code="AFFIL",
            name=item["name"],
            aliases=dedupe_names(item["name"], item.get("aliases", [])),
            kind=item.get("kind", ""),
            countries=tuple(item.get("countries", [])),
            addresses=tuple(item.get("addresses", [])),
            remarks=item.get("remarks", ""),
            source_url=sources[item["sources"][0]].url,
            sources=tuple(sources[s] for s in item["sources"]),
        )
        bundle.add(record)
        index.add(record)
    for item in data["relationships"]:
        bundle.relate(Relationship(
            subject=index.ref(item["subject"]).id, relation=item["relation"], object=index.ref(item["object"]).id,
            source=sources[item["source"]], note=item.get("note", ""),
        ))


# --- the whole build ------------------------------------------------------------------------------

def build(shared: Path) -> Bundle:
    if not shared.is_dir():
        raise BuildError(f"shared data not found at {shared}")
    bundle = Bundle()
    lists_meta = {m["id"]: m for m in json.loads((shared / "us-lists-2026-07" / "lists.json").read_text())["lists"]}
    csl = read_file(shared / CSL_2022, csl_codes={"EL", "UVL"})
    if csl.problems:
        raise BuildError(f"{CSL_2022}: {csl.problems[0].located()}")
    csl_records, csl_relationships = csl.records, csl.relationships
    csl_el: dict[str, list[Record]] = {}
    for record in csl_records:
        if record.list_code == "EL":
            csl_el.setdefault(match_key(record.name), []).append(record)
            csl_el.setdefault(_loose_key(record.name), []).append(record)
    build_extract(bundle, shared, "EL", lists_meta, csl_el)
    recover_affiliates(bundle, csl_records, csl_relationships)
    for code in ("MEU", "DPL", "1260H", "1286", "CMIC"):
        build_extract(bundle, shared, code, lists_meta)
    build_uvl(bundle, csl_records)
    affiliations = json.loads(AFFILIATIONS.read_text(encoding="utf-8"))
    same_as = {k: v for k, v in affiliations.get("aspi_same_as", {}).items() if k != "about"}
    build_aspi(bundle, shared, same_as)
    build_affiliations(bundle, affiliations)
    bundle.lists["AFFIL"] = {
        "title": LIST_NAMES["AFFIL"],
        "source": "scripts/affiliations.json (from public reporting: Nikkei Asia/KrASIA 2025, ASPI The Strategist "
                  "2022) and the ASPI China Defence Universities Tracker (MISP galaxy scrape of 2020-08-22)",
        "source_url": "https://unitracker.aspi.org.au/",
        "snapshot_date": AFFIL_SNAPSHOT,
        "note": "Context records: laboratories, pilot lines, institutes and subsidiaries, risky through their "
                "relationships. Snapshot date: February 2025, the month of the newest source.",
    }
    bundle.lists["REL"] = {
        "title": "Relationships",
        "source": "Entity List entries naming a parent (affiliated entity, subordinate institution), the ASPI China "
                  "Defence Universities Tracker (laboratories, subsidiaries) and scripts/affiliations.json",
        "source_url": "https://unitracker.aspi.org.au/",
        "snapshot_date": EXTRACTS["EL"][2],
        "note": "Typed, sourced edges between bundled records; each line names its source.",
    }
    check(bundle)
    return bundle


def check(bundle: Bundle) -> None:
    problems = []
    for record in bundle.records.values():
        problems.extend(f"{record.id}: {field_name}: {message}" for message, field_name in record_problems(record))
    for rel in bundle.relationships.values():
        problems.extend(f"{rel.subject} {rel.relation} {rel.object}: {message}"
                        for message, _ in relationship_problems(rel))
        for end in (rel.subject, rel.object):
            if end not in bundle.records:
                problems.append(f"relationship endpoint {end} is not a bundled record")
    if problems:
        raise BuildError("invalid bundled data:\n  " + "\n  ".join(problems))


def write(bundle: Bundle, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "__init__.py").touch()  # lists/ is installed as the package screen.bundled
    entries = []
    for code, file_name in FILES.items():
        if code == "REL":
            sha = write_jsonl(out / file_name, relationships=bundle.relationships.values())
            count = len(bundle.relationships)
        else:
            records = bundle.of_list(code)
            sha = write_jsonl(out / file_name, records)
            count = len(records)
        entries.append({"code": code, **bundle.lists[code], "records": count, "sha256": sha, "file": file_name})
    manifest = {"lists": sorted(entries, key=lambda e: e["code"])}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")


def stale_files(fresh: Path, current: Path) -> list[str]:
    names = sorted({*FILES.values(), "manifest.json", "__init__.py"})
    return [n for n in names if not (current / n).is_file() or not filecmp.cmp(fresh / n, current / n, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="raw source data (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="build into a temporary directory; exit 1 if --out is stale")
    parser.add_argument("--verbose", action="store_true", help="print the merge log (ASPI and FACTS joins)")
    args = parser.parse_args(argv)
    try:
        bundle = build(args.shared)
    except BuildError as err:
        print(f"build_lists: {err}", file=sys.stderr)
        return 2
    if args.verbose:
        print("\n".join(bundle.log))
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            write(bundle, Path(tmp))
            stale = stale_files(Path(tmp), args.out)
        if stale:
            print(f"build_lists: stale files in {args.out}: {', '.join(stale)}; run python scripts/build_lists.py",
                  file=sys.stderr)
            return 1
        print(f"build_lists: {args.out} is up to date")
        return 0
    write(bundle, args.out)
    counts = ", ".join(f"{code} {len(bundle.of_list(code)) if code != 'REL' else len(bundle.relationships)}"
                       for code in FILES)
    print(f"build_lists: wrote {args.out} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
