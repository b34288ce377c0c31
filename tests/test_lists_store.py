"""load_store: bundled lists first, then the user's files in order; provenance and checksum."""

from __future__ import annotations

from pathlib import Path

import screen
from screen.lists import ListStore, load_store, write_jsonl
from screen.models import Citation, Record, Relationship

FIXTURES = Path(__file__).parent / "fixtures" / "lists"


def test_bundled_store_shape():
    store = load_store()
    assert isinstance(store, ListStore)
    codes = [info.code for info in store.lists]
    assert codes == sorted(codes)
    assert set(codes) == {"1260H", "1286", "AFFIL", "CMIC", "DPL", "EL", "MEU", "REL", "UVL"}
    for info in store.lists:
        assert info.snapshot_date and len(info.sha256) == 64 and info.source
    assert sum(i.records for i in store.lists if i.code != "REL") == len(store.records)
    assert next(i.records for i in store.lists if i.code == "REL") == len(store.relationships)
    assert store.get("EL-huawei-technologies-co-ltd").list_code == "EL"
    assert store.get("no-such-id") is None


def test_no_bundled_data_on_request():
    store = load_store(bundled=False)
    assert (store.records, store.relationships, store.lists) == ({}, (), ())


def test_user_files_come_after_the_bundled_data_and_replace_by_id(tmp_path):
    mine = tmp_path / "mine.jsonl"
    write_jsonl(mine, [
        Record(id="EL-huawei-technologies-co-ltd", list_code="EL", name="Huawei (our corrected entry)"),
        Record(id="USER-acme", list_code="USER", name="Acme"),
    ], [Relationship("USER-acme", "owned_by", "EL-huawei-technologies-co-ltd", Citation("registry"), 60.0)])
    store = load_store([FIXTURES / "bom.csv", mine])
    ids = list(store.records)
    assert ids.index("USER-acme-trading-co") < ids.index("USER-acme")  # files in the order given
    assert store.get("EL-huawei-technologies-co-ltd").name == "Huawei (our corrected entry)"
    assert Relationship("USER-acme", "owned_by", "EL-huawei-technologies-co-ltd", Citation("registry"), 60.0) in (
        store.relationships)
    assert [i.code for i in store.lists][-4:] == ["USER", "EL", "USER", "REL"]  # bom.csv, then mine.jsonl


def test_edges_whose_endpoints_are_gone_are_dropped(tmp_path):
    edges = tmp_path / "edges.jsonl"
    write_jsonl(edges, [Record(id="USER-x", list_code="USER", name="X")], [
        Relationship("USER-x", "subsidiary_of", "USER-gone", Citation("note")),
        Relationship("USER-x", "subsidiary_of", "EL-huawei-technologies-co-ltd", Citation("note")),
    ])
    store = load_store([edges])
    assert [r.object for r in store.relationships if r.subject == "USER-x"] == ["EL-huawei-technologies-co-ltd"]
    alone = load_store([edges], bundled=False)
    assert alone.relationships == ()


def test_checksum_identifies_the_data_and_the_tool_version(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    write_jsonl(one, [Record(id="USER-a", list_code="USER", name="A")])
    write_jsonl(two, [Record(id="USER-a", list_code="USER", name="B")])
    assert load_store().checksum() == load_store().checksum()
    assert load_store([one]).checksum() != load_store().checksum()
    assert load_store([one]).checksum() != load_store([two]).checksum()

def test_checksum_changes_with_the_tool_version(monkeypatch):
    store = load_store()
    before = store.checksum()
    monkeypatch.setattr(screen, "__version__", "9.9.9")
    assert store.checksum() != before
