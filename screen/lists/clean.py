"""Cleaning of list names, aliases, addresses, countries and citations: one place for every source quirk.

Used by the bundled build (scripts/build_lists.py) and by the readers of user-supplied files, so a
name is cleaned the same way whichever path it arrives by. Every function here is pure and total:
it takes text as found in a source and returns cleaned text, never raising on odd input.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii

# --- whitespace, punctuation, "?" stand-ins -------------------------------------------------------

# "Xi?an", "China?s": a "?" between a letter and a lower-case letter stood for an apostrophe.
_QMARK_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\?(?=[a-z])")
# "Obshchestvo ?Gazprom Flot?": a pair of "?" around words stood for quotation marks.
_QMARK_QUOTES = re.compile(r"(?:(?<=^)|(?<=[\s(]))\?([^?\s][^?]*?)\?(?=$|[\s,;.)])")


_AMP_AFTER = re.compile(r"(?<=\s)&(?=\w)")
_AMP_BEFORE = re.compile(r"(?<=\w)&(?=\s)")


def clean_text(text: str | None) -> str:
    """Collapse whitespace (newlines included), strip edge commas/semicolons, drop lone curly quotes."""
    if not text:
        return ""
    text = " ".join(str(text).split()).strip(" ,;")
    if not text.isascii():
        text = _balance_quotes(unicodedata.normalize("NFC", text))
    return text


def clean_name(text: str | None) -> str:
    """`clean_text` for names, aliases and addresses: also undo the CSL's "?" stand-ins.

    "Xi?an" -> "Xi'an", "Obshchestvo ?Gazprom Flot?" -> 'Obshchestvo "Gazprom Flot"',
    "Science &Technology" -> "Science & Technology". Not for URLs or free text.
    """
    text = clean_text(text)
    if "?" in text:
        text = _QMARK_QUOTES.sub(r'"\1"', _QMARK_APOSTROPHE.sub("'", text))
    if "&" in text:  # "R&D" stays tight
        text = _AMP_BEFORE.sub(" &", _AMP_AFTER.sub("& ", text))
    return text


def _balance_quotes(text: str) -> str:
    """Drop a lone curly quote ("卫星导航电子信息技术”教育部..."): an extraction leftover."""
    for open_q, close_q in (("“", "”"), ("‘", "’")):
        if text.count(open_q) != text.count(close_q):
            if open_q == "‘":  # ’ is also an apostrophe ("China’s"): only drop an unmatched opener
                if text.count(open_q) > text.count(close_q):
                    text = text.replace(open_q, "")
                continue
            text = text.replace(open_q, "").replace(close_q, "")
    return text


# --- aliases --------------------------------------------------------------------------------------

# A last alias "...; and Technology" is the tail of the previous alias, not a name of its own.
_GENERIC_TAILS = frozenset(
    "technology technologies trading services service engineering development industry industries "
    "electronics equipment company limited group".split()
)
_SEMICOLON_IN_QUOTE = re.compile(r";(?=['\"’”])")
_LEADING_AND = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)
_LEADING_DASH = re.compile(r"^[\s\u2010-\u2015]+")  # ";—Institute of ..." (not "-": "-2+3" is text)


def split_aliases(values: str | Iterable[str] | None, notes: list[str] | None = None) -> list[str]:
    """Split "A; B; and C" joins into aliases, drop "and" leftovers and parenthetical notes.

    `values` is one joined string or several (each may itself be a join). Notes such as
    "(all of preceding located in or near Mianyang)" are appended to `notes` when given.
    """
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        if not value:
            continue
        value = _SEMICOLON_IN_QUOTE.sub("", str(value))  # "'Zvezdochka;'" -> "'Zvezdochka'"
        for piece in value.split(";"):
            piece = clean_name(_LEADING_DASH.sub("", piece))
            had_and = bool(_LEADING_AND.match(piece))
            if had_and:
                piece = clean_name(_LEADING_AND.sub("", piece))
            if not piece or piece.lower() in {"and", "&"}:
                continue
            if piece.startswith("(") and piece.endswith(")"):
                if notes is not None:
                    notes.append(piece[1:-1].strip())
                continue
            if had_and and out and " " not in piece and piece.lower() in _GENERIC_TAILS:
                out[-1] = f"{out[-1]} and {piece}"
                continue
            out.append(piece)
    return out


def dedupe_names(name: str, names: Iterable[str]) -> tuple[str, ...]:
    """Drop empties, repeats (case-insensitive) and anything equal to the primary name."""
    seen = {name.casefold()}
    out = []
    for alias in names:
        alias = clean_name(alias)
        key = alias.casefold()
        if alias and key not in seen:
            seen.add(key)
            out.append(alias)
    return tuple(out)


# --- acronyms and parentheticals ------------------------------------------------------------------

# Parentheticals that look like acronyms but are places or legal markers.
_NOT_ACRONYMS = frozenset({"HK", "UK", "US", "USA", "UAE", "PRC", "BVI", "EU", "II", "III", "IV"})
_TRAILING_PAREN = re.compile(r"^(?P<base>.*\S)\s*\((?P<inner>[^()]+)\)$")
_AKA_START = re.compile(
    r"\s*\((?:a\.?\s?k\.?\s?a|f\.?\s?k\.?\s?a|formerly known as|also known as)\b\.?[,:]?\s*", re.I)


def is_acronym(text: str) -> bool:
    """Mostly capitals and digits, short: "SMIC", "CETC 13", "NSCC-TJ", "A/SEU"; not "Beijing"."""
    text = text.strip()
    if not text or len(text) > 16 or text in _NOT_ACRONYMS or len(text.split()) > 3:
        return False
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if upper < 2 or not all(c.isascii() for c in text):
        return False
    return upper / len(letters) >= 0.7


def parenthetical_aliases(name: str) -> list[str]:
    """Aliases implied by a trailing parenthetical of the primary name.

    "Semiconductor Manufacturing International Corporation (SMIC)" -> ["SMIC", "Semiconductor
    Manufacturing International Corporation"]; "X (a.k.a. Y; Z)" -> ["Y", "Z", "X"]. Places such as
    "(Beijing)" or "(Japan)" give nothing.
    """
    m = _TRAILING_PAREN.match(name)
    if not m:
        return []
    base, inner = clean_name(m["base"]), m["inner"].strip()
    if is_acronym(inner):
        return [inner, base]
    return []


def split_aka(text: str) -> tuple[str, list[str]]:
    """"Gazprom Flot, OOO (f.k.a., Obshchestvo ... Gazflot)" -> ("Gazprom Flot, OOO", ["Obshchestvo ... Gazflot"]).

    Also when the extraction cut the closing bracket off ("Lukoil, OAO (a.k.a. Lukoil") or left
    nothing after it ("Aletra General Trading (a.k.a.").
    """
    m = _AKA_START.search(text)
    if not m or m.start() == 0:
        return text, []
    depth, i = 1, m.end()
    while i < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    inner = text[m.end(): i - 1] if depth == 0 else text[m.end():]
    after = text[i:] if depth == 0 else ""
    base = clean_name(f"{text[: m.start()]} {after}")
    aliases = [a.strip("“”\"'‘’ ") for a in split_aliases(inner)]
    return base, [a for a in aliases if a]


# --- embedded parents -----------------------------------------------------------------------------

_EMBEDDED = (
    (re.compile(r"^(?P<parent>.+?)\.?\s+Affiliated Entity\s*:\s*(?P<child>.*)$", re.I), "affiliated_entity_of"),
    (re.compile(r"^(?P<parent>.+?)\.?\s+Subordinate Institution\s*[-:\u2013\u2014]\s*(?P<child>.*)$", re.I),
     "subordinate_institution_of"),
    (re.compile(r"^(?P<parent>.+?)\s+Subordinate Institution\s*$", re.I), "subordinate_institution_of"),
)


def split_embedded_parent(name: str) -> tuple[str, str, str] | None:
    """("Parent (P).  Affiliated Entity:  Child") -> ("Child", "Parent (P)", "affiliated_entity_of").

    The child is "" when the source left it out ("... (CETC 13) subordinate institution:"); the
    caller then uses the first alias as the name.
    """
    text = clean_name(name)
    for pattern, relation in _EMBEDDED:
        m = pattern.match(text)
        if m:
            child = clean_name(m.groupdict().get("child", ""))
            return child, clean_name(m["parent"]), relation
    return None


def take_embedded_parent(name: str, aliases: list[str]) -> tuple[str, tuple[str, str] | None]:
    """The record's own name and, if it embeds one, (parent name, relation).

    When the source left the child's name out, the first alias becomes the name (it is taken out
    of `aliases`).
    """
    embedded = split_embedded_parent(name)
    if embedded:
        child, parent_name, relation = embedded
        if not child and aliases:
            child = aliases.pop(0)
        if child:
            return child, (parent_name, relation)
    return name, None


# "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof"
_SUCCESSOR_CLAUSE = re.compile(r"^(?P<name>.+?);?\s+(?P<clause>and any successor.*)$", re.I)


def split_successor_clause(name: str) -> tuple[str, str]:
    """Split a trailing "; and any successor, sub-unit, or subsidiary thereof" off a name."""
    m = _SUCCESSOR_CLAUSE.match(name)
    if not m:
        return name, ""
    clause = re.sub(r"^and ", "", clean_text(m["clause"]))
    return clean_name(m["name"]), f"Listing includes {clause}"


# --- addresses ------------------------------------------------------------------------------------

_SEE_ALSO = re.compile(r"\s*\((?:See|see) (?:also |alternate )[^)]*\)\.?")
_ADDRESS_SPLIT = re.compile(r";\s*(?:and\s+)?")


def split_see_also(text: str, notes: list[str] | None = None) -> str:
    """Move "(See alternate address under X)" out of a name or alias into `notes`."""
    for m in _SEE_ALSO.finditer(text):
        if notes is not None:
            notes.append(clean_text(m.group().strip(" .()")))
    return clean_name(_SEE_ALSO.sub("", text)) if "(" in text else text


def split_addresses(text: str | None, notes: list[str] | None = None) -> tuple[str, ...]:
    """Split "A; and B" address joins; move "(See alternate address under X)" into `notes`."""
    if not text:
        return ()
    if ";" not in text and "(" not in text:  # the common case: one address
        part = clean_name(text).rstrip(".").strip()
        return (part,) if part else ()
    for m in _SEE_ALSO.finditer(text):
        if notes is not None:
            notes.append(clean_text(m.group().strip(" .()")))
    text = _SEE_ALSO.sub("", text)
    out = []
    for part in _ADDRESS_SPLIT.split(text):
        part = clean_name(_LEADING_AND.sub("", clean_text(part))).rstrip(".").strip()
        if part and part.lower() != "and":
            out.append(part)
    return tuple(dict.fromkeys(out))


_LEGAL_ABBREV_END = re.compile(r"(?:\b(?:co|ltd|inc|corp|st|no|jr|sr|dr|mr|ms)|\b[A-Za-z])$", re.I)


def split_alias_address(alias: str) -> tuple[str, tuple[str, ...]]:
    """Separate an address that an extraction glued onto an alias.

    "M.A.G. Tech, 5762 Royalmount Ave, Montreal, ...; and 5440 Queen Mart St, ..." ->
    ("M.A.G. Tech", ("5762 Royalmount Ave, Montreal, ...", "5440 Queen Mart St, ...")).
    An alias is left alone unless what follows the first separator starts an address (a digit
    before the next comma).
    """
    if len(alias) < 30 or not re.search(r"\d", alias):
        return alias, ()
    for m in re.finditer(r"[,.]\s+", alias):
        prefix = alias[: m.start()]
        if re.search(r"[\d;]", prefix):
            break
        if prefix.count("(") != prefix.count(")"):
            continue
        rest = alias[m.end():]
        if m.group().startswith(".") and _LEGAL_ABBREV_END.search(prefix) and not rest[:1].isdigit():
            continue  # "Co. Ltd", "M.A.G. Tech": an abbreviation, not the end of the name
        if re.search(r"\d", re.split(r"[,;]", rest, maxsplit=1)[0]):
            return clean_name(prefix), split_addresses(rest)
    return alias, ()


# --- countries ------------------------------------------------------------------------------------

ISO_ALPHA2 = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG
    EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR
    HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR
    LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG
    NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE
    SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA
    UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW""".split()
)

# English country names as the sources write them (2026 extracts, CSL, ASPI, user files).
COUNTRY_NAMES: dict[str, str] = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "angola": "AO", "argentina": "AR",
    "armenia": "AM", "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bahrain": "BH",
    "bangladesh": "BD", "belarus": "BY", "belgium": "BE", "belize": "BZ", "bolivia": "BO",
    "bosnia and herzegovina": "BA", "brazil": "BR", "british virgin islands": "VG", "bulgaria": "BG",
    "burma": "MM", "myanmar": "MM", "cambodia": "KH", "canada": "CA", "cayman islands": "KY",
    "chile": "CL", "china": "CN", "people's republic of china": "CN", "prc": "CN", "p.r. china": "CN",
    "colombia": "CO", "costa rica": "CR", "crimea region of ukraine": "UA", "croatia": "HR",
    "cuba": "CU", "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK",
    "ecuador": "EC", "egypt": "EG", "estonia": "EE", "finland": "FI", "france": "FR", "georgia": "GE",
    "germany": "DE", "greece": "GR", "hong kong": "HK", "hong kong sar": "HK", "hungary": "HU",
    "india": "IN", "indonesia": "ID", "iran": "IR", "iraq": "IQ", "ireland": "IE", "israel": "IL",
    "italy": "IT", "jamaica": "JM", "japan": "JP", "jordan": "JO", "kazakhstan": "KZ", "kenya": "KE",
    "north korea": "KP", "korea, north": "KP", "south korea": "KR", "korea, south": "KR",
    "republic of korea": "KR", "korea": "KR", "kuwait": "KW", "kyrgyzstan": "KG", "laos": "LA",
    "latvia": "LV", "lebanon": "LB", "libya": "LY", "liechtenstein": "LI", "lithuania": "LT",
    "luxembourg": "LU", "macau": "MO", "macao": "MO", "madagascar": "MG", "malaysia": "MY",
    "malta": "MT", "mexico": "MX", "moldova": "MD", "mongolia": "MN", "morocco": "MA",
    "netherlands": "NL", "the netherlands": "NL", "new zealand": "NZ", "nicaragua": "NI",
    "nigeria": "NG", "north macedonia": "MK", "norway": "NO", "oman": "OM", "pakistan": "PK",
    "panama": "PA", "paraguay": "PY", "peru": "PE", "philippines": "PH", "poland": "PL",
    "portugal": "PT", "qatar": "QA", "romania": "RO", "russia": "RU", "russian federation": "RU",
    "saudi arabia": "SA", "senegal": "SN", "serbia": "RS", "singapore": "SG", "slovakia": "SK",
    "slovenia": "SI", "south africa": "ZA", "south sudan": "SS", "spain": "ES", "sri lanka": "LK",
    "sudan": "SD", "sweden": "SE", "switzerland": "CH", "syria": "SY", "taiwan": "TW",
    "tajikistan": "TJ", "thailand": "TH", "turkey": "TR", "türkiye": "TR", "turkiye": "TR",
    "turkmenistan": "TM", "uganda": "UG", "ukraine": "UA", "united arab emirates": "AE", "uae": "AE",
    "u.a.e.": "AE", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.": "US",
    "uzbekistan": "UZ", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN", "yemen": "YE",
    "west bank": "PS", "palestine": "PS", "zimbabwe": "ZW",
}


def country_code(text: str | None) -> str:
    """An English country name or an alpha-2 code -> the alpha-2 code; "" when not known."""
    if not text:
        return ""
    text = clean_text(text).rstrip(".")
    if len(text) == 2 and text.upper() in ISO_ALPHA2:
        return text.upper()
    return COUNTRY_NAMES.get(text.casefold(), "") or _CJK_COUNTRY_NAMES.get(text, "")


# Country names as Chinese ERP exports write them.
_CJK_COUNTRY_NAMES = {
    "中国": "CN", "中华人民共和国": "CN", "中國": "CN", "香港": "HK", "中国香港": "HK", "澳门": "MO",
    "台湾": "TW", "台灣": "TW", "中国台湾": "TW", "俄罗斯": "RU", "俄罗斯联邦": "RU", "美国": "US",
    "美國": "US", "日本": "JP", "韩国": "KR", "新加坡": "SG", "伊朗": "IR", "朝鲜": "KP", "德国": "DE",
    "英国": "GB", "法国": "FR", "阿联酋": "AE", "巴基斯坦": "PK", "土耳其": "TR", "马来西亚": "MY",
}


_TRAILING_CODE = re.compile(r"(?:^|,)\s*([A-Z]{2})\s*$")


def address_country(address: str) -> str:
    """The country of a CSL address: its trailing ", CN"-style code, else a trailing country name."""
    m = _TRAILING_CODE.search(address)
    if m and m[1] in ISO_ALPHA2:
        return m[1]
    tail = address.rstrip(". ").rsplit(",", 1)[-1]
    return country_code(re.sub(r"\s*\d[\d\s-]*$", "", tail))


# --- citations, licence texts, dates --------------------------------------------------------------

_FR_CITE = re.compile(r"(\d{1,3})\s*F\.?\s?R\.?\s*(\d[\d,]*)")
_NUM_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH_DATE = re.compile(r"\b([A-Z][a-z]+)\.? (\d{1,2}), (\d{4})\b")


def _year(text: str) -> int:
    year = int(text)
    if year < 100:  # two-digit Federal Register years run from 1936 on
        year += 1900 if year > 40 else 2000
    return year


_ISO_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _first_date(text: str) -> str:
    m = _ISO_IN_TEXT.search(text)
    if m:
        return m.group()
    m = _NUM_DATE.search(text)
    if m:
        month, day, year = int(m[1]), int(m[2]), _year(m[3])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    m = _MONTH_DATE.search(text)
    if m and m[1].lower() in _MONTHS:
        return f"{int(m[3]):04d}-{_MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}"
    return ""


def parse_citations(text: str | None) -> list[tuple[int, int, str]]:
    """Federal Register citations in a free-text field: [(volume, page, iso_date or "")].

    Handles "83 FR 37427, 8/1/18", "46 F.R. 46154 9/17/81 and ...", "91 FR 35189 (June 10, 2026)",
    several citations joined by "; " or newlines, and "preview citation details" leftovers.
    """
    if not text:
        return []
    found = list(_FR_CITE.finditer(text))
    out = []
    for i, m in enumerate(found):
        tail = text[m.end(): found[i + 1].start() if i + 1 < len(found) else len(text)]
        out.append((int(m[1]), int(m[2].replace(",", "")), _first_date(tail)))
    return out


def format_citations(cites: Iterable[tuple[int, int, str]]) -> tuple[str, ...]:
    """Merge citations by (volume, page), keep a known date, sort chronologically: "87 FR 77508 (2022-12-19)"."""
    merged: dict[tuple[int, int], str] = {}
    for volume, page, date in cites:
        key = (volume, page)
        merged[key] = merged.get(key) or date
    return tuple(f"{v} FR {p} ({d})" if d else f"{v} FR {p}" for (v, p), d in sorted(merged.items()))


def citation_texts(text: str | None) -> tuple[str, ...]:
    """Citations of a free-text field, formatted; the cleaned text itself when it has no "FR" cite."""
    cites = parse_citations(text)
    if cites:
        return format_citations(cites)
    text = clean_text(text)
    return (text,) if text else ()


_LICENCE_FIXES = (
    (re.compile(r"\),\s?\d\s"), "), "),  # "734.9(g),3 746.8" -> "734.9(g), 746.8"
    (re.compile(r"\)\d,"), "),"),  # "734.9(g)3," -> "734.9(g),"
    (re.compile(r"\) \d (?=and\b)"), ") "),  # "734.9(e) 1 and" -> "734.9(e) and"
    (re.compile(r"(?<=[A-Za-z)])\s?\d$"), ""),  # a trailing footnote: " 2", ")4"
    (re.compile(r"(?<=\d)l(?=\()"), "1"),  # OCR: "744.2l(b)" -> "744.21(b)"
    (re.compile(r"§(?=\d)"), "§ "),  # "§§734.9" -> "§§ 734.9"
)


def clean_license_requirement(text: str | None) -> str:
    """Strip the eCFR footnote digits the extraction left in licence requirements.

    "(See §§ 734.9(g),3 746.8(a)(3), ...)" -> "(See §§ 734.9(g), 746.8(a)(3), ...)";
    "see §§ 734.9(e) 1 and 744.11 of the EAR 2" -> "see §§ 734.9(e) and 744.11 of the EAR".
    """
    text = clean_text(text)
    if not text:
        return ""
    for pattern, replacement in _LICENCE_FIXES:
        text = pattern.sub(replacement, text)
    return clean_text(text)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(text: str | None) -> str:
    """An ISO date from "2022-04-07", "2022-04-07T00:00:00Z", "03 Jun 2021"; "" otherwise."""
    text = clean_text(text)
    if not text:
        return ""
    if _ISO_DATE.match(text[:10]):
        return text[:10]
    m = re.match(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$", text)
    if m:
        months = {k[:3]: v for k, v in _MONTHS.items()}
        if m[2].lower() in months:
            return f"{m[3]}-{months[m[2].lower()]:02d}-{int(m[1]):02d}"
    return ""


# --- scripts, keys, ids, kinds --------------------------------------------------------------------

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_APOSTROPHES = re.compile(r"['`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """A key for exact-name joins between sources: ascii-folded, lower-case, punctuation-free.

    Deliberately strict (no legal-form or word dropping): it decides which records are the same
    party when building the bundled data, where a false join is worse than a missed one.
    """
    text = anyascii(clean_name(text)).lower().replace("&", " and ")
    text = _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text)).strip()
    return text[4:] if text.startswith("the ") else text


_TRAILING_LEGAL_KEY = re.compile(r"(?: (?:co|company|corp|group co))?(?: ltd| limited| inc| plc| llc)$")


def base_key(text: str) -> str:
    """`match_key` without a trailing legal form: "Aviation Industry Corporation of China, Ltd." ->
    "aviation industry corporation of china". A second-tier join key, tried after the exact one."""
    return _TRAILING_LEGAL_KEY.sub("", match_key(text))


def slugify(text: str, max_len: int = 60) -> str:
    """"Huawei Technologies Co., Ltd." -> "huawei-technologies-co-ltd" (ascii, at most 60 chars)."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    return slug[:max_len].rstrip("-") or "record"


def assign_id(code: str, name: str, country: str, taken: set[str]) -> str:
    """`f"{code}-{slug}"`; on a collision add "-<country>", then "-2", "-3" (source order)."""
    base = f"{code}-{slugify(name)}"
    candidates = [base]
    if country:
        candidates.append(f"{base}-{country.lower()}")
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    taken.add(f"{base}-{n}")
    return f"{base}-{n}"


_LEGAL_FORM = re.compile(
    r"\b(?:co|corp|corporation|company|ltd|limited|inc|incorporated|llc|gmbh|ag|s\.?a|s\.?r\.?l|b\.?v|"
    r"n\.?v|oy|ab|plc|pte|pvt|jsc|ojsc|cjsc|pjsc|ooo|oao|zao|ao|fzco|fze|fzc|llp|group|holdings?|"
    r"enterprises?|trading|industries|sdn bhd|s\.?a\.?s|spa|kft|sro|s\.?r\.?o)\b\.?",
    re.I,
)


_ENDS_WITH_LEGAL_FORM = re.compile(
    r"\b(?:co\.?,? ?ltd|company limited|company|co|ltd|limited|inc|corp|corporation|llc|gmbh|ag|s\.?a|plc|jsc|"
    r"ojsc|pjsc|oao|ooo|zao|ao|oy|b\.?v|pte)\.?\)?$",
    re.I,
)


_KIND_LAB = re.compile(r"\blab(?:orator(?:y|ies)|s)?\b")
_KIND_UNIVERSITY = re.compile(r"\buniversit|\binstitute of technology\b|\bpolytechnic\b|\bcollege\b")
_KIND_INSTITUTE = re.compile(r"\binstitut|\bacademy\b|\bresearch (?:center|centre)\b")


def guess_kind(name: str) -> str:
    """Conservative kind from the name; "" when the name does not say."""
    n = name.lower()
    if _ENDS_WITH_LEGAL_FORM.search(name):  # "Wuhan University of Technology Ship Co., Ltd" is a company
        return "company"
    if _KIND_LAB.search(n):
        return "laboratory"
    if _KIND_UNIVERSITY.search(n):
        return "university"
    if _KIND_INSTITUTE.search(n):
        return "research_institute"
    if _LEGAL_FORM.search(name):
        return "company"
    return ""
