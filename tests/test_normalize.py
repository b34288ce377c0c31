"""The normalisation pipeline: each step, and the invariants that matching relies on."""

from hypothesis import given, settings
from hypothesis import strategies as st

from screen.normalize import acronym, normalize


def tokens(text: str) -> tuple[str, ...]:
    return normalize(text).tokens


def test_case_punctuation_and_legal_forms_are_set_aside():
    a = normalize("Huawei Technologies Co., Ltd.")
    assert a.tokens == ("huawei", "technology")
    assert a.legal == ("co", "ltd")
    assert tokens("HUAWEI TECHNOLOGIES COMPANY LIMITED") == a.tokens
    assert tokens("huawei technologies") == a.tokens


def test_legal_forms_anywhere_and_in_many_languages():
    assert tokens("OOO Gazprom Svyaz") == ("gazprom", "svyaz")
    assert tokens("Grupo Mex S.A. de C.V.") == ("grupo", "mex")
    assert tokens("Siemens Aktiengesellschaft") == tokens("Siemens AG") == tokens("SIEMENS")
    assert tokens("Siemens Aktiengeselschaft") == tokens("Siemens")  # misspelt legal form
    assert tokens("Acme GmbH") == tokens("ACME LLC") == tokens("Acme PJSC") == ("acme",)


def test_a_name_made_only_of_legal_words_keeps_them():
    assert tokens("Company Limited") == ("company", "limited")


def test_abbreviations_ampersand_and_british_spellings():
    assert tokens("Natl. Univ. of Defence Tech.") == tokens("National University of Defense Technology")
    assert tokens("Harbin Inst. of Tech.") == tokens("Harbin Institute of Technology")
    assert tokens("Smith & Sons") == ("smith", "sons")
    assert tokens("Research Centre") == tokens("Research Center")


def test_diacritics_and_cyrillic_are_transliterated():
    assert tokens("Müller Société") == ("muller", "societe")
    assert tokens("Владимир Путин") == ("vladimir", "putin")
    assert "transliterated" in normalize("Владимир Путин").notes[0]


def test_russian_institutional_words_read_as_english():
    assert tokens("АО Концерн Калашников") == ("concern", "kalashnikov")
    assert tokens("Kalashnikov Concern JSC") == ("kalashnikov", "concern")


def test_homoglyphs_inside_latin_words_are_folded():
    disguised = "Hu\u0430wei Techn\u043elogies"  # Cyrillic a and o
    assert tokens(disguised) == tokens("Huawei Technologies")
    assert normalize(disguised).notes == ("look-alike Cyrillic/Greek letters read as Latin",)


def test_real_cyrillic_words_are_not_folded_as_homoglyphs():
    # "Сеть" is Russian, not a disguised Latin word: it is transliterated.
    assert tokens("Сеть") == ("set",)


def test_digits_inside_words_read_as_letters():
    assert tokens("Ig0r Sech1n") == ("igor", "sechin")
    assert tokens("CETC 13") == ("cetc", "13")


def test_plurals_read_as_singular_so_typos_in_them_still_match():
    assert tokens("Huawei Technologies") == tokens("Huawei Technology") == ("huawei", "technology")
    assert tokens("Huawei Technolgies") == ("huawei", "technolgy")  # one swap from "technology"
    assert tokens("Holdings") == tokens("Hldgs") == tokens("Holding")


def test_numbers_and_ordinals_become_digits():
    assert tokens("Brigade Forty-Four") == tokens("Brigade 44") == ("brigade", "44")
    assert tokens("13th Research Institute") == ("13", "research", "institute")


def test_chinese_script_reads_as_pinyin_simplified_and_traditional_alike():
    simplified = normalize("哈尔滨工业大学")
    traditional = normalize("哈爾濱工業大學")
    assert simplified.tokens == traditional.tokens == ("harbin", "industry", "university")
    assert simplified.han


def test_chinese_legal_form_suffix_is_set_aside():
    assert normalize("长江存储有限公司").tokens == normalize("长江存储").tokens
    assert normalize("长江存储有限公司").legal == ("有限公司",)


def test_chinese_name_and_its_mixed_pinyin_alias_are_the_same_words():
    assert tokens("天津飞腾信息技术有限公司") == tokens("Tianjin Feiteng Information Technology")
    assert tokens("Haerbin Gongye Daxue") == tokens("哈尔滨工业大学")
    assert tokens("北京市商汤科技开发有限公司") == tokens("Beijing Shangtang Technology Development")


def test_unknown_chinese_words_read_two_characters_a_word():
    assert tokens("长江存储") == tokens("Changjiang Cunchu") == ("changjiang", "cunchu")
    assert tokens("中科曙光") == ("zhongke", "shuguang")


def test_acronym_of_long_names_only():
    assert acronym(normalize("National University of Defense Technology")) == "nudt"
    assert acronym(normalize("Harbin Institute of Technology")) is None  # three letters: too ambiguous


def test_hostile_text_never_raises():
    for text in ["", "   ", "\x00\x07", "😀😀", "\u202eevil\u202c", "!!!", "a" * 10_000, "\ud800"]:
        normalize(text)
    assert tokens("\u200bHua\u200dwei") == ("huawei",)  # zero-width characters vanish
    assert tokens("😀 Acme") == ("acme",)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalisation_is_idempotent_on_its_own_output(text):
    once = normalize(text)
    again = normalize(" ".join(once.tokens))
    if not once.han and (once.legal or not again.legal):
        assert again.tokens == once.tokens
    # A name made only of legal words keeps them once; from there on it is stable too.
    assert normalize(" ".join(again.tokens)).tokens == again.tokens
    assert all(t and t.isascii() and t == t.lower() for t in once.tokens)
