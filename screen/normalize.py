"""The one name-normalisation pipeline, applied identically to list names and to queries.

Order (each step sees the output of the one before):
  1. Unicode NFKC, control and format characters dropped, white space collapsed.
  2. Homoglyphs: inside a word that mixes Latin with Cyrillic or Greek letters, the look-alikes are
     folded to Latin (an evasion trick: "Huаwei" with a Cyrillic "а").
  3. Chinese script: Chinese legal-form suffixes (有限公司 ...) set aside, the rest turned into pinyin
     (pypinyin, which reads simplified and traditional characters alike), grouped into words.
  4. Everything else transliterated to ASCII (anyascii: diacritics, Cyrillic, Greek, Arabic ...), case-folded.
  5. Punctuation: "&" becomes "and", apostrophes vanish, dotted initials close up ("S.A." -> "sa").
  6. Words mapped to one spelling: abbreviations ("univ" -> "university") and British forms
     ("defence" -> "defense").
  7. Legal forms ("co ltd", "llc", "ooo", "gmbh" ...) and filler words ("of", "the") set aside:
     they never carry a match.
Chinese words common in institutional names (大学, 科技, 信息 ...) and their pinyin ("daxue", "keji")
read as the English words that aliases use, so "天津飞腾信息技术" and "Tianjin Feiteng Information
Technology" come out as the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

# One edit in seven letters: "corporaton", "limitted", "aktiengeselschaft" are still legal forms.
LEGAL_TYPO_SIMILARITY = 0.85

# --- tables ---------------------------------------------------------------------------------------

# Cyrillic and Greek letters that render like Latin ones (lower and upper case).
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d",
        "ԛ": "q", "ԝ": "w", "ӏ": "l",
        "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H", "Ԛ": "Q",
        "Ԝ": "W", "Ӏ": "I",
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)
_CONFUSABLE_CHARS = frozenset(k for k in map(chr, _CONFUSABLES))

# Chinese legal forms and their pinyin are not name material. Longest first.
_HAN_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "公司")

# Abbreviations and spelling variants -> one canonical word. Keys are already ASCII and lower case.
CANONICAL_WORDS: dict[str, str] = {
    # abbreviations
    "univ": "university", "uni": "university", "inst": "institute", "instit": "institute",
    "tech": "technology", "techn": "technology", "technol": "technology",
    "intl": "international", "int'l": "international", "internat": "international",
    "mfg": "manufacturing", "mfr": "manufacturing", "natl": "national", "nat'l": "national",
    "acad": "academy", "sci": "science", "res": "research",
    "eng": "engineering", "engg": "engineering", "engr": "engineering",
    "dept": "department", "hq": "headquarters", "hqs": "headquarters", "dev": "development", "devel": "development", "mgmt": "management",
    "elec": "electronic", "ind": "industry", "indus": "industry",
    "industrial": "industry", "equip": "equipment", "svc": "service",
    "svcs": "service", "sys": "system",
    "assoc": "association", "lab": "laboratory", "labs": "laboratory",
    "ctr": "center", "aero": "aeronautics", "aeronautical": "aeronautics",
    "astronautical": "astronautics", "mach": "machinery", "chem": "chemical",
    "imp": "import", "exp": "export", "imps": "import", "exps": "export", "co-op": "cooperative",
    "bros": "brother", "hldgs": "holding", "hldg": "holding",
    "st": "saint",
    # British and American spellings
    "defence": "defense", "centre": "center", "organisation": "organization", "programme": "program", "aluminium": "aluminum",
    "aeroplane": "airplane", "armour": "armor", "colour": "color", "harbour": "harbor",
    "labour": "labor", "metre": "meter", "theatre": "theater", "fibre": "fiber",
    "licence": "license", "analyse": "analyze", "catalogue": "catalog", "jewellery": "jewelry",
    "tyre": "tire",
}

# Legal forms: single words and phrases (as canonical token tuples). Set aside, never scored.
_LEGAL_SINGLE = frozenset(
    """co company companies corp corporation inc incorporated ltd limited llc llp lp plc pte pvt pty
    gmbh ag kg kgaa mbh sa sas sarl srl spa sl bv nv oy oyj ab asa as aps kft zrt rt sro doo dd ad
    ooo oao zao pao ao tov pjsc jsc cjsc ojsc ojs fze fzco fzc fzllc llc-fz bhd sdn tbk pt cv
    establishment est ltda eirl sac saa jv se ug aktiengesellschaft ano""".split()
)
# Long legal words are also recognised with a typo ("Aktiengeselschaft", "Corporaton").
_LEGAL_LONG = tuple(w for w in _LEGAL_SINGLE | {"company", "incorporated"} if len(w) >= 7)
_LEGAL_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in [
                "co ltd", "company limited", "private limited", "public limited company",
                "limited liability company", "limited liability partnership", "joint stock company",
                "public joint stock company", "closed joint stock company", "open joint stock company",
                "closed joint stock co", "open joint stock co", "sa de cv", "s de rl de cv",
                "s de rl", "sdn bhd", "pty ltd", "pvt ltd", "pte ltd", "co inc", "corp ltd",
                "limited company", "gmbh co kg", "ltd co", "societe anonyme",
                "gesellschaft mit beschrankter haftung", "obshchestvo s ogranichennoy otvetstvennostyu",
                "obshchestvo s ogranichennoi otvetstvennostiu", "aktsionernoe obshchestvo",
                "publichnoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
                "otkrytoe aktsionernoe obshchestvo", "youxian gongsi", "youxian zeren gongsi",
                "gufen youxian gongsi", "societatea cu raspundere limitata", "spolka z oo",
                "sp z oo", "avtonomnaya nekommercheskaya organizatsiya",
            ]
        ),
        key=len,
        reverse=True,
    )
)
_LEGAL_MAX = max(len(p) for p in _LEGAL_PHRASES)
_LEGAL_PHRASE_STARTS = frozenset(p[0] for p in _LEGAL_PHRASES)
_LEGAL_PHRASE_SET = frozenset(_LEGAL_PHRASES)

# Number words and ordinals become digits: "Forty-Four", "44th" and "44" are one token.
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **_TENS,
    **{w: i for i, w in enumerate(_ORDINALS) if i},
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# Digits inside a word that stand for letters ("Ig0r Sech1n"), an evasion trick like homoglyphs.
_LEET = re.compile(r"(?<=[a-z])[013457](?=[a-z])")
_HAS_DIGIT = re.compile(r"\d")
_DOUBLED = re.compile(r"([a-z])\1+")
_LEET_MAP = str.maketrans("013457", "oieast")

STOPWORDS = frozenset(
    "of the and for a an at on in by to de del della der des di do du da la le las les los el et "
    "und y e van von".split()
)



# Chinese institutional words, as pinyin, and what English names render them as. Listed parties carry
# mixed aliases such as "Tianjin Feiteng Information Technology" (天津飞腾信息技术): with these, the
# Chinese name and the alias become the same words. The same table reads Latin pinyin ("Gongye Daxue").
PINYIN_GLOSSARY: dict[str, str] = {
    "daxue": "university", "xueyuan": "institute", "yanjiusuo": "research institute",
    "yanjiuyuan": "research institute", "yanjiu": "research", "kexueyuan": "academy science",
    "kexue": "science", "keji": "technology", "jishu": "technology", "gongye": "industry",
    "gongcheng": "engineering", "xinxi": "information", "dianzi": "electronics", "jituan": "group",
    "kaifa": "development", "bandaoti": "semiconductor", "jichengdianlu": "integrated circuit",
    "sheji": "design", "zhizao": "manufacturing", "hangkong": "aviation", "hangtian": "aerospace",
    "guofang": "national defense", "guojia": "national", "zhongguo": "china", "zhonghua": "china",
    "shiyanshi": "laboratory", "zhongdian": "key", "zhongxin": "center", "wuli": "physics",
    "huaxue": "chemistry", "cailiao": "materials", "jixie": "machinery", "dianqi": "electric",
    "tongxin": "communication", "jisuanji": "computer", "ruanjian": "software", "zhineng": "intelligent",
    "rengongzhineng": "artificial intelligence", "guangdian": "optoelectronics", "jiqiren": "robot",
    "yiqi": "instrument", "zhuangbei": "equipment", "shebei": "equipment", "maoyi": "trading",
    "jinchukou": "import export", "guoji": "international", "touzi": "investment", "konggu": "holdings",
    "shiye": "industry", "dianli": "power", "nengyuan": "energy", "chuanbo": "shipbuilding",
    "junshi": "military", "jiefangjun": "liberation army", "renmin": "people",
    "gongyuan": "park", "fenyuan": "branch", "fengongsi": "branch", "xibei": "northwest",
    "dongbei": "northeast", "xinan": "southwest", "dongnan": "southeast", "huanan": "south china",
    "huadong": "east china", "huabei": "north china", "huazhong": "central china",
    "haerbin": "harbin",
}
# Russian institutional words as anyascii romanises them ("Концерн" -> "kontsern"), and the English
# words that listed names use: "Концерн Калашников" and "Kalashnikov Concern" become the same words.
RUSSIAN_GLOSSARY: dict[str, str] = {
    "kontsern": "concern", "koncern": "concern", "korporatsiya": "corporation", "korporatsiia": "corporation",
    "goskorporatsiya": "state corporation", "goskorporatsiia": "state corporation",
    "obedinenie": "association", "zavod": "plant", "institut": "institute", "universitet": "university",
    "akademiya": "academy", "akademiia": "academy", "tsentr": "center", "nauchno": "scientific",
    "nauchnyy": "scientific", "nauchnyi": "scientific", "issledovatelskiy": "research",
    "issledovatelskii": "research", "tekhnologii": "technology", "gosudarstvennyy": "state",
    "gosudarstvennyi": "state", "gosudarstvennaya": "state", "gosudarstvennaia": "state",
    "kompaniya": "company", "kompaniia": "company", "gruppa": "group", "kholding": "holdings",
    "federalnoe": "federal", "federalnyy": "federal", "ministerstvo": "ministry", "upravlenie": "administration",
    "aviatsionnyy": "aviation", "aviatsionnyi": "aviation", "konstruktorskoe": "design", "byuro": "bureau",
}

# Places: a run of unknown syllables is cut at these, so "天津飞腾" reads "tianjin feiteng".
_PINYIN_PLACES = frozenset(
    """beijing shanghai tianjin chongqing haerbin harbin changchun shenyang dalian jilin hebei henan
    hubei hunan shandong shanxi shaanxi jiangsu zhejiang anhui fujian jiangxi guangdong guangxi hainan
    sichuan guizhou yunnan gansu qinghai ningxia xinjiang xizang neimenggu taiyuan shijiazhuang
    zhengzhou wuhan changsha nanjing hangzhou hefei fuzhou nanchang jinan qingdao guangzhou shenzhen
    zhuhai dongguan foshan nanning haikou chengdu mianyang guiyang kunming lanzhou xining yinchuan
    wulumuqi xian suzhou wuxi changzhou ningbo xiamen hangzhou baotou luoyang xiangtan zhuzhou
    baoding tangshan weihai yantai xuzhou wenzhou""".split()
)
# Words that say where a party is, not which one: with the generic words (index.GENERIC_WORDS) they
# cannot carry a partial match on their own ("Beijing Technology" is not "Beijing Institute of Technology").
PLACE_WORDS = _PINYIN_PLACES | frozenset(
    """china chinese russia russian iran iranian korea korean pakistan turkey hong kong taiwan macau
    asia asian europe european america american pacific north south east west northern southern eastern
    western central northeast northwest southeast southwest northeastern northwestern southeastern
    southwestern""".split()
)
# Administrative suffixes after a place (北京市, 湖北省) add nothing to a name.
_PLACE_SUFFIXES = ("shi", "sheng")
_GLOSSARY_MAX = max(len(k) for k in PINYIN_GLOSSARY)

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "So", "Sk"})
# A parenthetical inside a name: "... Corporation (SMIC)", "... Technologies (Japan) Inc.".
PARENTHETICAL = re.compile(r"\([^)]*\)")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_WORD_SPLIT = re.compile(r"\s+")
_DOTTED_INITIAL = re.compile(r"\b([a-z0-9])\.(?=[a-z0-9]\b)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")


# --- the result -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Normalized:
    """A name after the pipeline: what is compared, and what was set aside or changed on the way."""

    text: str
    tokens: tuple[str, ...]  # the words that carry the match
    legal: tuple[str, ...] = ()  # legal forms set aside
    notes: tuple[str, ...] = ()  # what the pipeline did that a reader should know (homoglyphs, scripts)
    han: bool = False  # tokens came (partly) from Chinese script, read as pinyin

    @property
    def compact(self) -> str:
        """The name's letters without spaces: "SiemensAG" and "Siemens AG" meet here."""
        return "".join(self.tokens)

    @property
    def compact_all(self) -> str:
        return "".join(self.tokens) + "".join(self.legal)


# --- the steps ------------------------------------------------------------------------------------


def _clean_unicode(text: str) -> str:
    if text.isascii():
        return _WORD_SPLIT.sub(" ", _ASCII_CONTROL.sub(" ", text)).strip()
    text = unicodedata.normalize("NFKC", text)
    # Control and format characters (bidi overrides, zero-width joiners) and pictographs carry no name.
    # Format characters vanish (a zero-width joiner inside "Hua\u200dwei" hides nothing); the rest part words.
    text = "".join(
        ("" if cat == "Cf" else " ") if (cat := unicodedata.category(c)) in _DROPPED_CATEGORIES else c
        for c in text
    )
    return _WORD_SPLIT.sub(" ", text).strip()


def _fold_homoglyphs(text: str) -> tuple[str, bool]:
    """Fold Cyrillic/Greek look-alikes to Latin inside words that also hold Latin letters."""
    changed = False
    words = text.split(" ")
    for i, word in enumerate(words):
        if not any(c in _CONFUSABLE_CHARS for c in word):
            continue
        has_latin = any("a" <= c.lower() <= "z" for c in word)
        # A word made of look-alikes only, beside Latin words and no real Cyrillic word, is disguised too.
        if not has_latin:
            has_latin = all(c in _CONFUSABLE_CHARS or not c.isalpha() for c in word) and _mostly_latin(words)
        if has_latin:
            folded = word.translate(_CONFUSABLES)
            if folded != word:
                words[i] = folded
                changed = True
    return " ".join(words), changed


def _mostly_latin(words: list[str]) -> bool:
    latin = sum(1 for w in words for c in w if "a" <= c.lower() <= "z")
    other = sum(1 for w in words for c in w if c.isalpha() and not ("a" <= c.lower() <= "z") and c not in _CONFUSABLE_CHARS)
    return latin > 0 and other == 0


@lru_cache(maxsize=1)
def _pinyin():
    # pypinyin loads a large dictionary: import it only when a name holds Chinese script.
    from pypinyin import Style, lazy_pinyin

    return lambda s: lazy_pinyin(s, style=Style.NORMAL, errors="ignore", v_to_u=False)


def _han_to_pinyin(text: str) -> tuple[str, list[str]]:
    """Replace each run of Chinese characters by pinyin words; return the legal forms set aside."""
    legal: list[str] = []
    to_pinyin = _pinyin()

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        for form in _HAN_LEGAL_FORMS:
            if run.endswith(form) and len(run) > len(form):
                run = run[: -len(form)]
                legal.append(form)
                break
        return " " + " ".join(pinyin_words([s for s in to_pinyin(run) if s.isalpha()])) + " "

    return _HAN_RE.sub(repl, text), legal


def pinyin_words(syllables: list[str]) -> list[str]:
    """Group pinyin syllables into words: glossary words and places first, the rest run together.

    ["tian", "jin", "fei", "teng", "xin", "xi", "ji", "shu"] -> ["tianjin", "feiteng", "information",
    "technology"]: the words an English alias of the same party uses.
    """
    words: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(syllables):
        for j in range(len(syllables), i, -1):
            joined = "".join(syllables[i:j])
            if len(joined) <= _GLOSSARY_MAX and (joined in PINYIN_GLOSSARY or joined in _PINYIN_PLACES):
                words.extend(_two_syllable_words(unknown))
                unknown = []
                words.extend(PINYIN_GLOSSARY.get(joined, joined).split())
                i = j
                if joined in _PINYIN_PLACES and i < len(syllables) and syllables[i] in _PLACE_SUFFIXES:
                    i += 1
                break
        else:
            unknown.append(syllables[i])
            i += 1
    words.extend(_two_syllable_words(unknown))
    return words


def _two_syllable_words(run: list[str]) -> list[str]:
    """Most Chinese words have two characters: 长江存储 reads "changjiang cunchu", as its alias does.

    A run of three stays one word (哈尔滨-like names); a longer odd run ends in a word of three.
    """
    if len(run) <= 3:
        return ["".join(run)] if run else []
    cut = len(run) - 3 if len(run) % 2 else len(run)
    return ["".join(run[k : k + 2]) for k in range(0, cut, 2)] + (["".join(run[cut:])] if cut < len(run) else [])


def _ascii_words(text: str) -> list[str]:
    text = (text if text.isascii() else anyascii(text)).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHES.sub("", text)
    if "." in text:
        text = _DOTTED_INITIAL.sub(r"\1", text)
        text = _DOTTED_INITIAL.sub(r"\1", text)  # twice: "s.a.s." overlaps
    return [w for w in _NON_WORD.split(text) if w]


def _split_legal(words: list[str]) -> tuple[list[str], list[str]]:
    """Set legal forms aside (phrases first), unless that would leave no word at all."""
    core: list[str] = []
    legal: list[str] = []
    i = 0
    while i < len(words):
        sizes = range(min(_LEGAL_MAX, len(words) - i), 1, -1) if words[i] in _LEGAL_PHRASE_STARTS else ()
        for size in sizes:
            if tuple(words[i : i + size]) in _LEGAL_PHRASE_SET:
                legal.extend(words[i : i + size])
                i += size
                break
        else:
            if words[i] in _LEGAL_SINGLE or _misspelt_legal(words[i]):
                legal.append(words[i])
            else:
                core.append(words[i])
            i += 1
    if not core:
        return words, []
    return core, legal


@lru_cache(maxsize=65536)
def _misspelt_legal(word: str) -> bool:
    if len(word) < 7:
        return False
    return any(
        OSA.normalized_similarity(word, form, score_cutoff=LEGAL_TYPO_SIMILARITY) for form in _LEGAL_LONG
    )


@lru_cache(maxsize=65536)
def normalize(text: str) -> Normalized:
    """Run the whole pipeline over one name."""
    notes: list[str] = []
    folded = _clean_unicode(text)
    han = False
    han_legal: list[str] = []
    if not folded.isascii():
        folded, changed = _fold_homoglyphs(folded)
        if changed:
            notes.append("look-alike Cyrillic/Greek letters read as Latin")
        han = bool(_HAN_RE.search(folded))
        if han:
            folded, han_legal = _han_to_pinyin(folded)
            notes.append("Chinese script read as pinyin")
        elif any(ord(c) > 0x24F and c.isalpha() for c in folded):
            notes.append("transliterated to Latin script")
    words = _ascii_words(folded)
    if _HAS_DIGIT.search(folded) and any(_LEET.search(w) for w in words):
        words = [_LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), w) for w in words]
        notes.append("digits inside words read as letters")
    words = _numbers([w for word in words for w in _canonical(word)])
    core, legal = _split_legal(words)
    core = [w for w in core if w not in STOPWORDS] or core
    return Normalized(
        text=text,
        tokens=tuple(core),
        legal=tuple(legal) + tuple(han_legal),
        notes=tuple(notes),
        han=han,
    )


def _canonical(word: str) -> list[str]:
    if word in CANONICAL_WORDS:
        words = [CANONICAL_WORDS[word]]
    elif word in PINYIN_GLOSSARY:
        words = PINYIN_GLOSSARY[word].split()
    elif word in RUSSIAN_GLOSSARY:
        words = RUSSIAN_GLOSSARY[word].split()
    else:
        words = [word]
    return [singular(w) for w in words]


def singular(word: str) -> str:
    """English plurals as the singular ("Technologies", "Systems"), so a typo in a plural still meets
    the listed singular. Applied to both sides, so an odd stem ("Siemens" -> "siemen") is harmless."""
    if len(word) < 5 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def romanization_fold(word: str) -> str:
    """One spelling for common romanisation variants: "Aleksey" / "Alexey" / "Aleksei", "Durrani" /
    "Duranni", "Mohammed" / "Mohamed" (doubled letters are written single).

    Used to compare two words that differ only in romanisation; never shown to the user.
    """
    word = _DOUBLED.sub(r"\1", word).replace("x", "ks").replace("kh", "h")
    word = word.replace("yu", "iu").replace("ya", "ia").replace("yo", "io")
    if word.startswith("ye"):
        word = "e" + word[2:]
    for ending in ("iy", "yy", "ii", "ij", "yj", "ei", "ey"):
        if word.endswith(ending) and len(word) > 3:
            return word[:-2] + "y"
    return word


def _numbers(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if (m := _ORDINAL_SUFFIX.match(w)) is not None:
            w = m.group(1)
        elif w in NUMBER_WORDS:
            value = NUMBER_WORDS[w]
            # "forty four" -> "44": a unit after a bare tens word joins it.
            if out and 0 < value < 10 and out[-1] in _TENS_DIGITS:
                out[-1] = str(int(out[-1]) + value)
                continue
            w = str(value)
        out.append(w)
    return out


_TENS_DIGITS = frozenset(str(v) for v in _TENS.values())


def acronym(norm: Normalized) -> str | None:
    """The initials of a long name ("National University of Defense Technology" -> "nudt"), or None.

    Only names of four or more words: three-letter initials collide with ordinary words too often.
    """
    if norm.han or len(norm.tokens) < 4 or any(t.isdigit() for t in norm.tokens):
        return None
    return "".join(t[0] for t in norm.tokens)
