"""The chapters' parallel pre-execution stores what MyST-NB would, and never a failure."""

import jupytext
import nbformat
import pytest
from jupyter_cache import get_cache

from genrebench.book.execute import execute_missing, toc_notebooks

CHAPTERS = {
    "fine": "# %%\nprint(6 * 7)\n",
    "broken": '# %%\nraise RuntimeError("this cell fails on purpose")\n',
}


def test_passing_chapters_are_cached_and_failing_ones_left_to_the_build(tmp_path, capfd):
    (tmp_path / "notebooks").mkdir()
    for name, text in CHAPTERS.items():
        notebook = jupytext.reads(text, fmt="py:percent")
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        jupytext.write(notebook, tmp_path / "notebooks" / f"{name}.ipynb")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n"
        "  - file: notebooks/fine\n  - file: notebooks/broken\n  - file: book/prose\n"
    )
    assert [path.stem for path in toc_notebooks(tmp_path)] == ["fine", "broken"]
    cache_dir = tmp_path / "_build" / ".jupyter_cache"

    lines = []
    outcomes = execute_missing(
        cache_dir, tmp_path, timeout=120, allow_errors=False, workers=2, progress=lines.append
    )
    assert set(outcomes) == {"fine", "broken"} and outcomes["broken"].startswith("failed")
    # The kernels start quietly (over TCP, ipykernel warned on each start that it is
    # unencrypted; they use local sockets instead), so make book's log holds only progress.
    kernels_said = capfd.readouterr().err
    assert kernels_said.strip() == "", kernels_said
    # Progress as it goes: what runs, then each chapter as it starts and as it ends, with its
    # time and how many are still to finish.
    assert lines[0] == "executing 2 chapters, 2 at a time"
    assert sorted(line.split("] ")[1] for line in lines[1:3]) == [
        "started broken",
        "started fine",
    ]
    ends = [line.split("] ")[1] for line in lines[3:]]
    assert len(ends) == 2 and {end.split(" in ")[0] for end in ends} == {
        "finished fine",
        "failed broken",
    }
    assert [end.rsplit("; ", 1)[1] for end in ends] == ["1 left", "0 left"]
    cache = get_cache(str(cache_dir))
    fine = nbformat.read(tmp_path / "notebooks" / "fine.ipynb", as_version=4)
    _, merged = cache.merge_match_into_notebook(fine)  # what MyST-NB reads back
    assert merged.cells[0].outputs[0]["text"] == "42\n"
    with pytest.raises(KeyError):  # the build executes it again, and fails on it
        cache.match_cache_notebook(
            nbformat.read(tmp_path / "notebooks" / "broken.ipynb", as_version=4)
        )
    # Everything cached: nothing runs the second time.
    assert execute_missing(cache_dir, tmp_path, 120, False) == {"broken": outcomes["broken"]}


def test_producers_start_first_and_readers_wait_only_for_their_producers():
    """On a cold build the training chapters start first; a chapter reading their studies
    starts only after them, while chapters that read none fill a free kernel meanwhile."""
    from pathlib import Path

    from genrebench.book.execute import PRODUCERS, READERS, _next_ready, _ordered

    names = ["01_the_question", "04_heads_compared", "05_travel", "06_decoding_calibration"]
    names += ["07_synthetic_sweeps", "08_answers", "11_pitfalls"]
    queue = _ordered([Path(f"notebooks/{name}.ipynb") for name in names])
    assert [path.stem for path in queue[:3]] == list(PRODUCERS)
    # The heads and travel chapters run; the sweeps are queued: the sweeps start next.
    rest = queue[2:]
    assert _next_ready(rest, {"04_heads_compared", "05_travel", *(p.stem for p in rest)}) == rest[0]
    # Heads and travel done, the sweeps running: a light chapter starts, not the answers.
    rest = queue[3:]
    unfinished = {"07_synthetic_sweeps", *(p.stem for p in rest)}
    assert _next_ready(rest, unfinished).stem == "11_pitfalls"
    readers_first = [p for p in rest if p.stem in READERS]
    assert _next_ready(readers_first, unfinished).stem == "06_decoding_calibration"
    assert _next_ready([p for p in rest if p.stem == "08_answers"], unfinished) is None
    assert _next_ready([p for p in rest if p.stem == "08_answers"], {"08_answers"}).stem == (
        "08_answers"
    )


def test_a_notebook_at_the_root_of_the_toc_is_executed_too(tmp_path):
    """The first page is a notebook: it must be pre-executed with the chapters, not left to
    Jupyter Book's serial pass."""
    (tmp_path / "notebooks").mkdir()
    for name in ("front", "fine"):
        notebook = jupytext.reads(CHAPTERS["fine"], fmt="py:percent")
        jupytext.write(notebook, tmp_path / "notebooks" / f"{name}.ipynb")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: notebooks/front\nchapters:\n  - file: notebooks/fine\n"
    )
    assert [path.stem for path in toc_notebooks(tmp_path)] == ["front", "fine"]
