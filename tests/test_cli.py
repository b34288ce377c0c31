"""The command line as a user drives it: exit codes, output, messages (CliRunner, bundled lists)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from screen import __version__
from screen.cli import cli


@pytest.fixture
def run(bundled_screener):  # the fixture warms the cache, so each command loads in a blink
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(all_commands()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_an_example(run, path, command):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output, f"ecscreen {' '.join(path)} --help has no example"


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_check_alerts_with_evidence_and_exit_1(run):
    result = run("check", "Hubei Yangtze Memory Labs")
    assert result.exit_code == 1
    out = result.output
    assert "LINKED" in out and "Hubei Yangtze Memory Laboratories" in out
    assert "shares its pilot line with" in " ".join(out.split())
    assert "Yangtze Memory Technologies Co., Ltd. (Entity List, 87 FR 77508)" in " ".join(out.split())


def test_check_clear_exits_0(run):
    result = run("check", "Beijing Institute of Fashion Technology")
    assert result.exit_code == 0
    assert "clear" in result.output


def test_check_json_is_one_object_per_name(run):
    result = run("check", "YMTC", "Acme Bakery of Ohio", "--format", "json")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["YMTC", "Acme Bakery of Ohio"]
    ymtc, bakery = lines
    assert ymtc["status"] == "alert" and ymtc["risk_level"] == "listed"
    best = ymtc["alerts"][0]
    assert {"record_id", "name", "list", "score", "matched_name", "explanation"} <= set(best)
    assert best["matched_name"] == "YMTC" and best["score"] == 100
    assert bakery == {**bakery, "status": "clear", "alerts": [], "risk_level": "clear"}
    screening = ymtc["screening"]
    assert screening["tool_version"] == __version__ and screening["threshold"] == 80
    assert screening["affiliates_rule"] == "on"
    assert {entry["code"] for entry in screening["lists"]} >= {"EL", "UVL", "AFFIL"}
    assert all(len(entry["sha256"]) == 64 for entry in screening["lists"])


def test_check_json_carries_linked_paths_as_structure(run):
    result = run("check", "State Key Laboratory of Advanced Welding and Joining", "--format", "json")
    finding = json.loads(result.stdout)
    assert finding["risk_level"] == "linked"
    path = finding["alerts"][0]["linked_risk"][0]
    assert [n["name"] for n in path["nodes"]] == [
        "State Key Laboratory of Advanced Welding and Joining", "Harbin Institute of Technology"]
    edge = path["edges"][0]
    assert edge["relation"] == "laboratory_of"
    assert edge["source"]["url"].startswith("https://unitracker.aspi.org.au/")


def test_names_from_stdin(run):
    result = run("check", "--format", "json", input="YMTC\n\n  \nAcme Bakery of Ohio\n")
    assert [json.loads(line)["query"] for line in result.stdout.splitlines()] == ["YMTC", "Acme Bakery of Ohio"]


@pytest.mark.parametrize(
    "name, error",
    [
        ("   ", "empty name"),
        ("x" * 10_000, "name is 10,000 characters long; the limit is 1,000"),
        ("!!! ??? ...", "name has no letters or digits to match"),
        ("😀😀😀", "name has no letters or digits to match"),
    ],
)
def test_bad_names_are_reported_per_name_and_others_still_screened(run, name, error):
    result = run("check", name, "YMTC", "--format", "json")
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["status"] == "error" and first["error"] == error
    assert second["status"] == "alert"
    assert result.exit_code == 1


def test_only_bad_names_exit_2(run):
    result = run("check", "   ")
    assert result.exit_code == 2
    assert "empty name" in result.output


def test_control_and_right_to_left_text_is_screened_not_crashed(run):
    result = run("check", "\u202eYMTC\u202c", "Huawei\x07 Technologies", "--format", "json")
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["alert", "alert"]


def test_country_is_checked(run):
    result = run("check", "YMTC", "--country", "Narnia")
    assert result.exit_code == 2
    assert "unknown country 'Narnia'" in result.output


def test_no_bundled_needs_a_list(run):
    result = run("check", "YMTC", "--no-bundled")
    assert result.exit_code == 2
    assert "--no-bundled needs at least one --list PATH" in result.output


def test_missing_list_file_is_a_clear_error(run, tmp_path):
    result = run("check", "YMTC", "--list", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_broken_user_list_fails_with_line_numbers_and_exit_3(run, tmp_path):
    broken = tmp_path / "mine.csv"
    broken.write_text("name,country\nAcme Widgets,US\n,CN\n", encoding="utf-8")
    result = run("check", "Acme Widgets", "--list", str(broken))
    assert result.exit_code == 3
    assert "mine.csv:3" in result.output and "name" in result.output


def test_user_list_screens_alongside_bundled(run, tmp_path):
    mine = tmp_path / "internal.csv"
    mine.write_text("name,aliases,country,list,notes\nGlobex Trading FZE,Globex;GTF,AE,USER,blocked by legal\n", encoding="utf-8")
    result = run("check", "Globex Trading", "--list", str(mine), "--format", "json")
    finding = json.loads(result.stdout)
    assert finding["status"] == "alert" and finding["alerts"][0]["name"] == "Globex Trading FZE"


def test_lists_shows_every_bundled_list_with_age(run):
    result = run("lists")
    assert result.exit_code == 0
    for code in ("EL", "UVL", "MEU", "DPL", "1260H", "1286", "CMIC", "AFFIL"):
        assert code in result.output
    assert "days" in result.output


def test_lists_validate_passes_on_the_bundled_files(run):
    from pathlib import Path

    files = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "lists").glob("*.jsonl"))
    result = run("lists", "validate", *files)
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK,") == len(files)


def test_explain_shows_record_and_neighbourhood(run):
    result = run("explain", "Hubei Yangtze Memory Labs")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "AFFIL-hubei-yangtze-memory-laboratories" in text
    assert "is a key stakeholder in Hubei Yangtze Memory Laboratories" in text


def test_explain_unknown_name_exits_2(run):
    result = run("explain", "Zzyzx Qwerty Nonexistent")
    assert result.exit_code == 2
    assert "no record id or name matches" in result.output


@pytest.mark.parametrize("fmt, first_line", [("dot", "digraph ecscreen {"), ("mermaid", "flowchart LR")])
def test_graph_formats(run, fmt, first_line, tmp_path):
    result = run("graph", "Hubei Yangtze Memory Laboratories", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == first_line
    assert "shares its pilot line with" in result.stdout
    out = tmp_path / f"g.{fmt}"
    assert run("graph", "Hubei Yangtze Memory Laboratories", "--format", fmt, "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_affiliates_rule_setting_is_stated(run):
    off = json.loads(run("check", "YMTC", "--format", "json", "--affiliates-rule", "off").stdout)
    assert off["screening"]["affiliates_rule"] == "off"


def test_results_do_not_depend_on_string_hashing(tmp_path):
    """Two processes with different hash seeds give byte-identical JSON (ties broken by order, not by hash)."""
    import os
    import subprocess
    import sys

    from tests.cases.evaluate import load_cases

    names = "\n".join(case.query for case in load_cases() if case.against == "bundled")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "screen", "check", "--format", "json"],
            input=names, capture_output=True, text=True, env=env, check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


def test_validate_checks_files_given_together(run, tmp_path):
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nUSER-evil,Evil Corp,CN\n", encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text("subject,relation,object,source\nUSER-evil,owned_by,EL-yangtze-memory-technologies-co-ltd,Registry\n",
                     encoding="utf-8")
    assert run("lists", "validate", str(parties), str(edges)).exit_code == 0
    alone = run("lists", "validate", str(edges))
    assert alone.exit_code == 3 and "unknown record id 'USER-evil'" in alone.output


def test_validate_reports_a_file_that_is_not_a_list_and_goes_on(run, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    good = tmp_path / "mine.csv"
    good.write_text("name\nAcme\n", encoding="utf-8")
    result = run("lists", "validate", str(other), str(good))
    assert result.exit_code == 3
    assert "notes.txt" in result.output and "mine.csv: OK" in result.output


def test_printed_result_carries_its_audit_line(run):
    result = run("check", "Acme Bakery of Ohio")
    footer = " ".join(result.stdout.split())
    assert f"with ecscreen {__version__}, threshold 80, depth 2, Affiliates Rule on." in footer
    assert "EL 2026-07-09 (" in footer and "UVL 2022-04-21 (" in footer
