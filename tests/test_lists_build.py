"""scripts/build_lists.py regenerates lists/ byte for byte, and --check catches a stale lists/."""

from __future__ import annotations

import filecmp
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_lists.py"
LISTS = REPO / "lists"

pytestmark = pytest.mark.slow  # the build reads the full 2022 Consolidated Screening List


def _load_script():
    spec = importlib.util.spec_from_file_location("build_lists", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_lists"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builds(shared_data, tmp_path_factory):
    """The same build twice: in a subprocess with another hash seed, and in this process (concurrently)."""
    tmp = tmp_path_factory.mktemp("build")
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--shared", str(shared_data), "--out", str(tmp / "b")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        module = _load_script()
        bundle = module.build(shared_data)
        module.write(bundle, tmp / "a")
    finally:
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.startswith("build_lists: wrote ")
    return module, bundle, tmp


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.is_file())


def test_building_twice_gives_identical_bytes_and_matches_the_committed_lists(builds):
    _, _, tmp = builds
    assert _files(tmp / "a") == _files(tmp / "b")
    for name in _files(tmp / "a"):
        assert (tmp / "a" / name).read_bytes() == (tmp / "b" / name).read_bytes(), name
        assert filecmp.cmp(tmp / "a" / name, LISTS / name, shallow=False), f"lists/{name} is stale"


def test_check_passes_on_the_committed_lists(builds, monkeypatch, capsys):
    module, bundle, _ = builds
    monkeypatch.setattr(module, "build", lambda shared: bundle)
    assert module.main(["--check", "--out", str(LISTS)]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_check_fails_after_editing_a_byte(builds, monkeypatch, capsys, tmp_path):
    module, bundle, _ = builds
    copy = tmp_path / "lists"
    shutil.copytree(LISTS, copy)
    data = bytearray((copy / "uvl.jsonl").read_bytes())
    data[10] ^= 0x01
    (copy / "uvl.jsonl").write_bytes(bytes(data))
    (copy / "affil.jsonl").unlink()
    monkeypatch.setattr(module, "build", lambda shared: bundle)
    assert module.main(["--check", "--out", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"stale files in {copy}: affil.jsonl, uvl.jsonl" in err
