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


def test_passing_chapters_are_cached_and_failing_ones_left_to_the_build(tmp_path):
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

    outcomes = execute_missing(cache_dir, tmp_path, timeout=120, allow_errors=False, workers=2)
    assert set(outcomes) == {"fine", "broken"} and outcomes["broken"].startswith("failed")
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
