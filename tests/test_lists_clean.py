"""One test per source quirk that screen.lists.clean undoes; the inputs are real strings from the sources."""

from __future__ import annotations

import pytest

from screen.lists.clean import (
    address_country,
    assign_id,
    citation_texts,
    clean_license_requirement,
    clean_name,
    clean_text,
    country_code,
    dedupe_names,
    format_citations,
    guess_kind,
    is_acronym,
    iso_date,
    match_key,
    parenthetical_aliases,
    parse_citations,
    slugify,
    split_addresses,
    split_aka,
    split_alias_address,
    split_aliases,
    split_embedded_parent,
    split_see_also,
    split_successor_clause,
)

# --- aliases joined with "; " and "; and " ----------------------------------------------------------


def test_csl_alt_names_last_alias_starts_with_and():
    assert split_aliases("HPSTAR; and Beijing High Voltage Science Research Center") == [
        "HPSTAR",
        "Beijing High Voltage Science Research Center",
    ]


def test_2026_extract_leftover_and_is_dropped():
    assert split_aliases(["HPSTAR; and", "Beijing High Voltage Science Research Center"]) == [
        "HPSTAR",
        "Beijing High Voltage Science Research Center",
    ]
    assert split_aliases(["M. Aziz; and"]) == ["M. Aziz"]
    assert split_aliases(["and"]) == []


def test_generic_tail_after_and_rejoins_the_alias_it_belongs_to():
    assert split_aliases(["Xinjiang Leon Telecom; and Technology"]) == ["Xinjiang Leon Telecom and Technology"]
    # a proper name after "and" stays an alias of its own
    assert split_aliases("Bingtuan Corp; and Bingtuan") == ["Bingtuan Corp", "Bingtuan"]


def test_parenthetical_note_among_aliases_goes_to_notes():
    notes: list[str] = []
    aliases = split_aliases(
        ["Southwest Institute of Structural Mechanics; (all of preceding located in or near Mianyang, Sichuan Province)"],
        notes,
    )
    assert aliases == ["Southwest Institute of Structural Mechanics"]
    assert notes == ["all of preceding located in or near Mianyang, Sichuan Province"]


def test_dash_joined_alias_and_semicolon_inside_quotes():
    assert split_aliases(["Engineering Research Laboratories (ERL);—Institute of Industrial Control Systems (IICS)"]) == [
        "Engineering Research Laboratories (ERL)",
        "Institute of Industrial Control Systems (IICS)",
    ]
    assert split_aliases(["Joint Stock Company Ship Repair Center 'Zvezdochka;'"]) == [
        "Joint Stock Company Ship Repair Center 'Zvezdochka'"
    ]


def test_duplicate_aliases_and_alias_equal_to_name_are_dropped():
    assert dedupe_names("Hebei Poshing Electronics", ["Hebei Poshing Electronics", "Hebei Poshing Elec",
                                                      "HEBEI POSHING ELEC", " Hubei  Poshing Electronics ", ""]) == (
        "Hebei Poshing Elec",
        "Hubei Poshing Electronics",
    )


# --- embedded parents -----------------------------------------------------------------------------


def test_csl_affiliated_entity_is_split_from_its_parent():
    assert split_embedded_parent(
        "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Hangzhou Huawei Communication Technology Co., Ltd."
    ) == ("Hangzhou Huawei Communication Technology Co., Ltd.", "Huawei Technologies Co., Ltd. (Huawei)",
          "affiliated_entity_of")


def test_csl_subordinate_institution_with_a_dash():
    assert split_embedded_parent(
        "China Electronics Technology Group Corporation 13th Research Institute (CETC 13).  Subordinate Institution - "
        "MT Microsystems"
    ) == ("MT Microsystems", "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
          "subordinate_institution_of")


def test_2026_subordinate_institution_with_a_colon_and_with_nothing_after_it():
    parent = "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"
    assert split_embedded_parent(f"{parent} subordinate institution: Bowei Integrated Circuits") == (
        "Bowei Integrated Circuits", parent, "subordinate_institution_of")
    assert split_embedded_parent(f"{parent} subordinate institution:") == ("", parent, "subordinate_institution_of")


def test_plain_names_embed_no_parent():
    assert split_embedded_parent("Hefei Institutes of Physical Science, Chinese Academy of Sciences") is None


def test_successor_clause_is_split_off_a_name():
    assert split_successor_clause("Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary "
                                  "thereof") == (
        "Sinobright Import and Export Company",
        "Listing includes any successor, sub-unit, or subsidiary thereof",
    )


# --- parentheticals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Semiconductor Manufacturing International Corporation (SMIC)",
         ["SMIC", "Semiconductor Manufacturing International Corporation"]),
        ("National University of Defense Technology (NUDT)", ["NUDT", "National University of Defense Technology"]),
        ("China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
         ["CETC 13", "China Electronics Technology Group Corporation 13th Research Institute"]),
        ("National Supercomputing Center Tianjin (NSCC-TJ)", ["NSCC-TJ", "National Supercomputing Center Tianjin"]),
        ("Beijing Institute of Technology (Beijing)", []),
        ("Yangtze Memory Technologies Co. (Japan)", []),
        ("Daystar Electric (HK)", []),
        ("Huawei Technologies (UK) Co., Ltd.", []),  # not trailing
    ],
)
def test_parenthetical_acronyms_become_aliases(name, expected):
    assert parenthetical_aliases(name) == expected


@pytest.mark.parametrize("text", ["SMIC", "CETC 13", "NSCC-TJ", "A/SEU", "HPSTAR"])
def test_acronyms(text):
    assert is_acronym(text)


@pytest.mark.parametrize("text", ["Beijing", "Japan", "HK", "Hunan Guofang Keji University", "NJTech", "中国"])
def test_not_acronyms(text):
    assert not is_acronym(text)


def test_aka_parenthetical_closed_unclosed_and_empty():
    assert split_aka("Gazprom Flot, OOO (f.k.a., Obshchestvo S Ogranichennoi Otvetstvennostyu Gazflot)") == (
        "Gazprom Flot, OOO", ["Obshchestvo S Ogranichennoi Otvetstvennostyu Gazflot"])
    assert split_aka("Lukoil, OAO (a.k.a. Lukoil") == ("Lukoil, OAO", ["Lukoil"])
    assert split_aka("Aletra General Trading (a.k.a.") == ("Aletra General Trading", [])
    assert split_aka("Mesbah Energy Company (a.k.a. “MEC”)") == ("Mesbah Energy Company", ["MEC"])
    assert split_aka("Mexpar International, Inc. (a.k.a. Pasadena Aerospace; Aviation Logistics and Supply)") == (
        "Mexpar International, Inc.", ["Pasadena Aerospace", "Aviation Logistics and Supply"])
    assert split_aka(
        "Southwest Institute of Nuclear Physics and Chemistry (a.k.a., China Academy of Engineering Physics (CAEP)'s "
        "902 Institute)") == ("Southwest Institute of Nuclear Physics and Chemistry",
                              ["China Academy of Engineering Physics (CAEP)'s 902 Institute"])
    assert split_aka("Zorsecurity Center") == ("Zorsecurity Center", [])


# --- whitespace, punctuation, "?" -----------------------------------------------------------------


def test_stray_whitespace_and_trailing_commas_and_semicolons():
    assert clean_text("  Dolgoprudny Research Production Enterprise, OAO,  ") == (
        "Dolgoprudny Research Production Enterprise, OAO")
    assert clean_text("Nanchang Huawei Communication Technology \u00a0;") == "Nanchang Huawei Communication Technology"
    assert clean_text("Hebei\n  Semiconductor\tInstitute") == "Hebei Semiconductor Institute"
    assert clean_text(None) == ""


def test_question_mark_standing_for_an_apostrophe():
    assert clean_name("Xi?an Research Institute of Navigation Technology") == "Xi'an Research Institute of Navigation Technology"
    assert clean_name("Aviation Industry Corporation of China?s (AVIC) Institute 625") == (
        "Aviation Industry Corporation of China's (AVIC) Institute 625")
    assert clean_name("Donetsk People?s Republic") == "Donetsk People's Republic"


def test_question_marks_standing_for_quotation_marks():
    assert clean_name("Obshchestvo S Ogranichennoi Otvetstvennostyu ?Gazprom Flot?") == (
        'Obshchestvo S Ogranichennoi Otvetstvennostyu "Gazprom Flot"')


def test_urls_keep_their_question_marks():
    url = "https://www.pmddtc.state.gov/ddtc_public?id=ddtc_kb_article_page"
    assert clean_text(url) == url


def test_ampersand_spacing_and_lone_curly_quotes():
    assert clean_name("Sichuan Chengfa Aero Science &Technology Co., Ltd.") == (
        "Sichuan Chengfa Aero Science & Technology Co., Ltd.")
    assert clean_name("R&D Center") == "R&D Center"
    assert clean_text("卫星导航电子信息技术”教育部重点实验室（B类）") == "卫星导航电子信息技术教育部重点实验室（B类）"
    assert clean_text("China’s 13") == "China’s 13"  # ’ is an apostrophe here


# --- addresses and countries ----------------------------------------------------------------------


def test_addresses_joined_with_and_are_split():
    notes: list[str] = []
    assert split_addresses(
        "501, 5th Floor, Kabul, Afghanistan; and Flat No. 41 Block No. 24 Macroyan 3, Kabul, Afghanistan. "
        "(See alternate addresses under Pakistan).", notes) == (
        "501, 5th Floor, Kabul, Afghanistan", "Flat No. 41 Block No. 24 Macroyan 3, Kabul, Afghanistan")
    assert notes == ["See alternate addresses under Pakistan"]
    assert split_addresses("Shenyang, CN; Pyongyang, KP") == ("Shenyang, CN", "Pyongyang, KP")
    assert split_addresses("") == ()


def test_see_also_is_moved_out_of_a_name():
    notes: list[str] = []
    assert split_see_also("Brian Douglas Woodford (See alternate address under Singapore)", notes) == (
        "Brian Douglas Woodford")
    assert notes == ["See alternate address under Singapore"]


def test_address_glued_onto_an_alias_is_separated():
    assert split_alias_address(
        "M.A.G. Tech, 5762 Royalmount Ave, Montreal, QC, H4P 1K5, Canada; and 5440 Queen Mart St, Office 103, "
        "Montreal, Canada") == ("M.A.G. Tech", ("5762 Royalmount Ave, Montreal, QC, H4P 1K5, Canada",
                                               "5440 Queen Mart St, Office 103, Montreal, Canada"))
    assert split_alias_address("Fu Jirui. No. 2A Zhonghuan South Road, Wangjing, Beijing, China, 100102")[0] == "Fu Jirui"
    assert split_alias_address(
        "Huawei Software Technologies Co. Ltd. 300 South Oak Way, Green Park, Reading, RG2 6UF")[0] == (
        "Huawei Software Technologies Co. Ltd")
    # names with digits are not addresses
    assert split_alias_address("China Academy of Engineering Physics (CAEP)'s 902 Institute") == (
        "China Academy of Engineering Physics (CAEP)'s 902 Institute", ())


@pytest.mark.parametrize(
    ("text", "code"),
    [("China", "CN"), ("Crimea Region of Ukraine", "UA"), ("United Arab Emirates", "AE"), ("Burma", "MM"),
     ("South Korea", "KR"), ("cn", "CN"), ("Hong Kong", "HK"), ("Atlantis", ""), ("", "")],
)
def test_country_names_to_alpha2(text, code):
    assert country_code(text) == code


def test_country_of_a_csl_address():
    assert address_country("Tian Wang te Zi #1, Baqiao District, Xian, China, CN") == "CN"
    assert address_country("TR") == "TR"
    assert address_country("Kannelkatu 8, Lappeenranta 53100, Finland") == "FI"
    assert address_country("Komitas 26/114, Yerevan") == ""


# --- licence requirements, citations, dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)",
         "For all items subject to the EAR. (See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR)"),
        ("For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2",
         "For all items subject to the EAR, see §§ 734.9(e) and 744.11 of the EAR"),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR) 4",
         "For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)"),
        ("For all items subject to the EAR. (See § 734.9(e) and § 744.11 of the EAR)4",
         "For all items subject to the EAR. (See § 734.9(e) and § 744.11 of the EAR)"),
        ("For all items subject to the EAR (See §§ 734.9(g)3, 746.8(a)(3), and 744.2l(b) of the EAR)",
         "For all items subject to the EAR (See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR)"),
        ("For all items subject to the EAR. (See §§734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR.)",
         "For all items subject to the EAR. (See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR.)"),
        ("For all items subject to the EAR. (See § 744.11 of the EAR)", "For all items subject to the EAR. (See § 744.11 of the EAR)"),
    ],
)
def test_footnote_digits_are_stripped_from_licence_requirements(raw, clean):
    assert clean_license_requirement(raw) == clean


def test_federal_register_citations_in_their_many_spellings():
    assert parse_citations("73 FR 54508,\n9/22/08.\n77 FR 58006, 9/19/12") == [
        (73, 54508, "2008-09-22"), (77, 58006, "2012-09-19")]
    assert parse_citations("46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81") == [
        (46, 46154, "1981-09-17"), (46, 19290, "1981-03-30")]
    assert parse_citations("91 FR 35189 (June 10, 2026)") == [(91, 35189, "2026-06-10")]
    assert parse_citations("81 FR 61601 preview citation details, 9/7/16") == [(81, 61601, "2016-09-07")]
    assert parse_citations("83 FR 37423; 87 FR 77505") == [(83, 37423, ""), (87, 77505, "")]


def test_citations_merge_by_page_keep_dates_and_sort():
    assert format_citations([(87, 77508, ""), (66, 24266, "2001-05-14"), (87, 77508, "2022-12-19")]) == (
        "66 FR 24266 (2001-05-14)", "87 FR 77508 (2022-12-19)")
    assert citation_texts("Vol. 88, No. 151, 08/08/2023") == ("Vol. 88, No. 151, 08/08/2023",)
    assert citation_texts("") == ()


def test_iso_dates():
    assert iso_date("2022-04-07") == "2022-04-07"
    assert iso_date("2023-08-08T22:00:00+00:00") == "2023-08-08"
    assert iso_date("03 Jun 2021") == "2021-06-03"
    assert iso_date("sometime") == ""


# --- keys, ids, kinds -------------------------------------------------------------------------------


def test_match_key_is_strict_but_ignores_case_punctuation_and_diacritics():
    assert match_key("Center for High Pressure Science & Technology Advanced Research") == match_key(
        "Center for High Pressure Science and Technology Advanced Research")
    assert match_key("Technische Universität Berlin") == match_key("TECHNISCHE UNIVERSITAT BERLIN")
    assert match_key("The Institute of Applied Physics") == match_key("Institute of Applied Physics")
    assert match_key("Northwestern University") != match_key("Northwestern Polytechnical University")


def test_slugs_and_id_collisions():
    assert slugify("Huawei Technologies Co., Ltd.") == "huawei-technologies-co-ltd"
    assert slugify("Technische Universität Berlin") == "technische-universitat-berlin"
    assert slugify("哈尔滨工业大学") == "haerbingongyedaxue"
    assert len(slugify("x" * 100)) == 60
    assert slugify("!!!") == "record"
    taken: set[str] = set()
    ids = [assign_id("EL", "Spacety Co., Ltd.", "CN", taken), assign_id("EL", "Spacety Co., Ltd.", "LU", taken),
           assign_id("EL", "Spacety Co., Ltd.", "LU", taken), assign_id("EL", "Spacety Co., Ltd.", "", taken)]
    assert ids == ["EL-spacety-co-ltd", "EL-spacety-co-ltd-lu", "EL-spacety-co-ltd-2", "EL-spacety-co-ltd-3"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Harbin Institute of Technology", "university"),
        ("Northwestern Polytechnical University", "university"),
        ("Huawei Technologies Co., Ltd., Material Characterization Lab", "laboratory"),
        ("State Key Laboratory of Advanced Welding and Joining", "laboratory"),
        ("Academy of Military Medical Sciences", "research_institute"),
        ("Wuhan University of Technology Ship Co., Ltd", "company"),
        ("Yangtze Memory Technologies Co., Ltd.", "company"),
        ("ANDREE AGNESE", ""),
    ],
)
def test_kind_is_guessed_conservatively(name, kind):
    assert guess_kind(name) == kind
