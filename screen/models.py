"""The data model shared by every module: list records, relationships, list provenance."""

from __future__ import annotations

from dataclasses import dataclass

# List codes. The CSL ones follow the `source` column of the Consolidated Screening List.
LIST_NAMES: dict[str, str] = {
    "EL": "Entity List",
    "UVL": "Unverified List",
    "MEU": "Military End-User List",
    "DPL": "Denied Persons List",
    "1260H": "Section 1260H Chinese Military Companies",
    "1286": "Section 1286 Academic Institutions",
    "CMIC": "NS-CMIC List",
    "SDN": "Specially Designated Nationals",
    "SSI": "Sectoral Sanctions Identifications",
    "DTC": "ITAR Debarred",
    "ISN": "Nonproliferation Sanctions",
    "FSE": "Foreign Sanctions Evaders",
    "CAP": "CAPTA List",
    "MBS": "Non-SDN Menu-Based Sanctions",
    "PLC": "Palestinian Legislative Council",
    "AFFIL": "Affiliated-lab records",
    "USER": "User list",
}

# Order in which equally scored alerts are shown: export-control lists first, context records last.
LIST_PRIORITY = {code: i for i, code in enumerate(LIST_NAMES)}

# Lists whose records are restricted parties. AFFIL records are context: they are risky only
# through a relationship to a restricted party.
RESTRICTED_LISTS = frozenset(LIST_NAMES) - {"AFFIL"}

RECORD_KINDS = frozenset(
    {
        "company",
        "university",
        "laboratory",
        "pilot_line",
        "research_institute",
        "government_body",
        "military",
        "person",
        "vessel",
        "aircraft",
        "organization",
    }
)

RELATION_TYPES = frozenset(
    {
        "shares_pilot_line_with",
        "stakeholder_in",
        "laboratory_of",
        "subsidiary_of",
        "owned_by",
        "operated_by",
        "joint_laboratory_with",
        "affiliated_entity_of",
        "subordinate_institution_of",
        "research_partner_of",
        "backed_by",
    }
)


def _reduce_by_fields(self) -> tuple:
    # Rebuilding from a tuple of fields is several times faster than the dataclass default (a
    # setstate per object) when the screener cache holds tens of thousands of these.
    return (type(self), tuple(getattr(self, f) for f in self.__slots__))


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact comes from: outlet or document, its date, its address."""

    title: str
    date: str = ""
    url: str = ""

    __reduce__ = _reduce_by_fields

    def __str__(self) -> str:
        parts = [self.title]
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Record:
    """One party on one list. `id` is stable across rebuilds of the same source."""

    id: str
    list_code: str
    name: str
    aliases: tuple[str, ...] = ()
    chinese_names: tuple[str, ...] = ()
    kind: str = ""
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 where known
    addresses: tuple[str, ...] = ()
    federal_register: tuple[str, ...] = ()
    added: str = ""  # ISO date
    removed: str = ""
    license_requirement: str = ""
    license_policy: str = ""
    source_url: str = ""
    remarks: str = ""
    sources: tuple[Citation, ...] = ()

    @property
    def list_name(self) -> str:
        return LIST_NAMES.get(self.list_code, self.list_code)

    @property
    def restricted(self) -> bool:
        return self.list_code in RESTRICTED_LISTS

    __reduce__ = _reduce_by_fields

    def names(self) -> tuple[str, ...]:
        """Primary name first, then aliases, then Chinese-script names, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.chinese_names)))


@dataclass(frozen=True, slots=True)
class Relationship:
    """A typed, sourced edge: `subject` <relation> `object` (both record ids)."""

    subject: str
    relation: str
    object: str
    source: Citation
    percentage: float | None = None  # only for owned_by
    note: str = ""

    __reduce__ = _reduce_by_fields


@dataclass(frozen=True, slots=True)
class ListInfo:
    """Provenance of one loaded list: what the manifest says, or what a user file gave."""

    code: str
    title: str
    source: str
    snapshot_date: str  # ISO date of the data, not of the download
    records: int
    sha256: str
    path: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A query word matched to a listed word; similarity 1.0 is the same word."""

    query: str
    listed: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a name scored what it did: the evidence behind an alert, word by word."""

    pairs: tuple[TokenPair, ...] = ()
    extra: tuple[str, ...] = ()  # query words the listed name lacks
    missing: tuple[str, ...] = ()  # listed words the query lacks
    legal_forms: tuple[str, ...] = ()  # set aside on either side
    notes: tuple[str, ...] = ()  # scripts read, homoglyphs folded, initials, whole-string agreement
    country: str = ""  # how the given country compares with the listed ones

    def text(self) -> str:
        parts: list[str] = []
        if self.pairs:
            parts.append(
                "matched "
                + ", ".join(
                    p.query if p.similarity >= 1.0 and p.query == p.listed
                    else f"{p.query}~{p.listed} ({p.similarity:.0%})"
                    for p in self.pairs
                )
            )
        if self.extra:
            parts.append("not in the listed name: " + ", ".join(self.extra))
        if self.missing:
            parts.append("listed words missing: " + ", ".join(self.missing))
        if self.legal_forms:
            parts.append("legal forms ignored: " + ", ".join(self.legal_forms))
        parts.extend(self.notes)
        if self.country:
            parts.append(self.country)
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Match:
    """A listed record a query resembles, with the name that matched and why."""

    record: Record
    score: float  # 0-100
    matched_name: str
    matched_kind: str  # name, alias, chinese_name, pinyin, acronym
    explanation: Explanation
