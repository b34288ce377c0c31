"""Scoring and explanation on a small index of real listed names (fast; no list files)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screen.index import NameIndex
from screen.match import DEFAULT_THRESHOLD, align, compare_names, match_name, token_similarity
from screen.models import Record

RECORDS = [
    Record("EL-bit", "EL", "Beijing Institute of Technology", countries=("CN",)),
    Record("EL-npu", "EL", "Northwestern Polytechnical University", aliases=("Northwest Polytechnical University",), countries=("CN",)),
    Record("EL-nuaa", "EL", "Nanjing University of Aeronautics and Astronautics", countries=("CN",)),
    Record("EL-smic", "EL", "Semiconductor Manufacturing International Corporation (SMIC)", aliases=("SMIC",), countries=("CN",)),
    Record("EL-crcc", "EL", "China Railway Construction Corporation", countries=("CN",)),
    Record("EL-ymtc", "EL", "Yangtze Memory Technologies Co., Ltd.", aliases=("Changjiang Cunchu", "YMTC"), countries=("CN",)),
    Record("EL-hit", "EL", "Harbin Institute of Technology", chinese_names=("哈尔滨工业大学",), countries=("CN",)),
    Record("EL-nudt", "EL", "National University of Defense Technology (NUDT)", countries=("CN",)),
    Record("EL-huawei", "EL", "Huawei Technologies Co., Ltd.", countries=("CN",)),
    Record("SDN-gazprom", "SDN", "Gazprom Svyaz, OOO", countries=("RU",)),
    Record("SDN-putin", "SDN", "PUTIN, Vladimir Vladimirovich", aliases=("PUTIN, Vladimir",), kind="person"),
    Record("SDN-roe", "SDN", "ROSOBORONEKSPORT OAO", aliases=("ROSOBORONEXPORT JSC",), countries=("RU",)),
]
# Filler so that generic words (university, technology, china, ...) are common, as in the real lists.
FILLER = [
    Record(f"X-{i}", "DPL", f"{city} {kind} {i}", countries=("CN",))
    for i, (city, kind) in enumerate(
        (c, k)
        for c in ("Beijing", "Shanghai", "China", "Nanjing", "Harbin", "Wuhan", "Xian", "Shenzhen")
        for k in ("University of Technology", "Institute of Technology", "Technology Group", "International Trading",
                  "Manufacturing Company", "Research Institute", "University", "Semiconductor Group")
    )
]
STORE = {r.id: r for r in RECORDS + FILLER}


@pytest.fixture(scope="module")
def index():
    return NameIndex(STORE.values())


def alerts(index, name, **kw):
    found, _ = match_name(name, index, STORE, **kw)
    return [m.record.id for m in found]


@pytest.mark.parametrize(
    "query, record_id",
    [
        ("Beijing Institute of Technology", "EL-bit"),
        ("BEIJING INSTITUTE OF TECHNOLOGY.", "EL-bit"),
        ("Beijing Insitute of Technology", "EL-bit"),  # typo
        ("Technology Institute Beijing", "EL-bit"),  # reordered
        ("Northwestern Polytechnical Univ.", "EL-npu"),
        ("Northwest Polytechnical University", "EL-npu"),  # alias
        ("Semiconductor Manufacturing Intl Corp", "EL-smic"),
        ("SMIC", "EL-smic"),
        ("YMTC", "EL-ymtc"),
        ("长江存储", "EL-ymtc"),  # Chinese script against the pinyin alias
        ("Yangtze Memory Technologies Company Limited", "EL-ymtc"),
        ("哈爾濱工業大學", "EL-hit"),  # traditional characters
        ("NUDT", "EL-nudt"),
        ("Huаwei Technologies", "EL-huawei"),  # Cyrillic а
        ("Huwaei Technologies Co Ltd", "EL-huawei"),  # swapped letters
        ("OOO Gazprom Svyaz", "SDN-gazprom"),
        ("Vladimir Putin", "SDN-putin"),
        ("Владимир Путин", "SDN-putin"),
        ("Рособоронэкспорт", "SDN-roe"),
        ("Northwestern Polytechnical University School of Automation", "EL-npu"),  # a unit of it
        ("Harbin Institute of Technology - Purchasing Dept", "EL-hit"),
        ("V. Putin", "SDN-putin"),  # an initial
    ],
)
def test_listed_names_are_found(index, query, record_id):
    assert record_id in alerts(index, query)


@pytest.mark.parametrize(
    "query, record_id",
    [
        ("Beijing Institute of Fashion Technology", "EL-bit"),
        ("Northwestern University", "EL-npu"),
        ("Nanjing University", "EL-nuaa"),
        ("Taiwan Semiconductor Manufacturing Company", "EL-smic"),
        ("China Railway Group", "EL-crcc"),
        ("Beijing University of Technology", "EL-bit"),  # an added generic word names another body
        ("Beijing Technology Co Ltd", "EL-bit"),  # only a place and a generic word shared
    ],
)
def test_generic_words_do_not_carry_a_match(index, query, record_id):
    assert record_id not in alerts(index, query)


def test_alert_explains_itself(index):
    found, total = match_name("Huwaei Technologies Co Ltd", index, STORE)
    top = found[0]
    assert top.record.id == "EL-huawei" and total >= 1
    assert top.matched_name == "Huawei Technologies Co., Ltd."
    text = top.explanation.text()
    assert "huwaei~huawei (83%)" in text
    assert "legal forms ignored: co, ltd" in text


def test_extra_and_missing_words_are_named(index):
    score, explanation = compare_names("Beijing Institute of Fashion Technology", "Beijing Institute of Technology", index)
    assert score < DEFAULT_THRESHOLD
    assert explanation.extra == ("fashion",)


def test_country_is_evidence_not_a_filter(index):
    plain = match_name("Harbin Institute of Technology", index, STORE)[0][0]
    agree = match_name("Harbin Institute of Technology", index, STORE, country="CN")[0][0]
    differ = match_name("Harbin Institute of Technology", index, STORE, country="US")[0][0]
    assert differ.record.id == "EL-hit"  # still alerts
    assert differ.score < plain.score <= agree.score
    assert "country US differs" in differ.explanation.text()


def test_threshold_is_respected(index):
    assert alerts(index, "Beijing Insitute of Technology", threshold=100) == []


def test_token_similarity_rules():
    assert token_similarity("huawei", "huwaei") == pytest.approx(5 / 6)
    assert token_similarity("smic", "smic") == 1.0
    assert token_similarity("cat", "cot") == 0.0  # too short for a typo
    assert token_similarity("13", "14") == 0.0
    assert token_similarity("northwestern", "northeastern") == 0.0  # another direction, not a typo
    assert token_similarity("northwestren", "northwestern") > 0.75
    assert token_similarity("alexey", "aleksei") == 0.95  # romanisation variants
    assert token_similarity("durrani", "duranni") == 0.95  # a doubled letter


def test_initials_and_joined_words():
    weight = lambda t: 5.0  # noqa: E731
    score, pairs, extra, missing = align(("hans", "j", "friedrich"), ("hans", "joachim", "friedrich"), weight)
    assert not extra and not missing and score > 0.85
    score, pairs, _, _ = align(("sino", "tech"), ("sinotech",), weight)
    assert score == 1.0


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(RECORDS), st.data())
def test_an_exact_name_or_alias_always_matches_its_record(index, record, data):
    name = data.draw(st.sampled_from(record.names()))
    found, _ = match_name(name, index, STORE)
    assert record.id in [m.record.id for m in found]
    assert all(0 <= m.score <= 100 for m in found)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_scores_lie_in_range_for_any_text(index, text):
    found, total = match_name(text, index, STORE)
    assert total >= len(found)
    assert all(0 <= m.score <= 100 for m in found)
