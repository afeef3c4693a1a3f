"""The staged folder behind ``genrebench run --out``: a complete result set or the previous one."""

import pytest

from genrebench.files import staged_folder
from genrebench.report import OUTPUT_NAMES

NAMES = ("results.csv", "figures")


def write_set(folder, text):
    (folder / "results.csv").write_text(text)
    (folder / "figures").mkdir()
    (folder / "figures" / "a.png").write_text(text)


def test_a_new_folder_appears_whole(tmp_path):
    out = tmp_path / "out"
    with staged_folder(out, NAMES) as staging:
        write_set(staging, "new")
        assert not out.exists()
    assert (out / "results.csv").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failure_midway_leaves_the_previous_results_and_the_cache(tmp_path):
    out = tmp_path / "out"
    with staged_folder(out, NAMES) as staging:
        write_set(staging, "old")
    (out / "cache").mkdir()
    (out / "cache" / "entry").write_text("run")
    with pytest.raises(RuntimeError), staged_folder(out, NAMES) as staging:
        (staging / "results.csv").write_text("half")
        raise RuntimeError("figure failed")
    assert (out / "results.csv").read_text() == "old"
    assert (out / "figures" / "a.png").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_rerun_replaces_the_results_and_keeps_everything_else(tmp_path):
    out = tmp_path / "out"
    with staged_folder(out, NAMES) as staging:
        write_set(staging, "old")
        (staging / "stale.csv").write_text("x")
    (out / "cache").mkdir()
    (out / "notes.txt").write_text("mine")
    with staged_folder(out, NAMES) as staging:
        write_set(staging, "new")
    assert (out / "results.csv").read_text() == "new"
    assert (out / "figures" / "a.png").read_text() == "new"
    assert (out / "notes.txt").read_text() == "mine" and (out / "cache").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_report_lists_what_it_writes():
    assert "cache" not in OUTPUT_NAMES
    assert {"results.csv", "figures", "report.html", "run.json"} <= set(OUTPUT_NAMES)


def test_staging_folders_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / f".out.{dead}.abc.partial").mkdir()
    (tmp_path / f".out.{dead}.abc.previous").mkdir()
    live = tmp_path / f".out.{os.getpid()}.def.partial"
    live.mkdir()
    with staged_folder(tmp_path / "out", NAMES) as staging:
        write_set(staging, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", live.name])
