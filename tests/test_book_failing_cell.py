"""A failing cell fails the strict build (a book of its own: no wait for the session's build)."""

import shutil

from tests.conftest import ROOT, build_book

FAILING_NOTEBOOK = """# %% [markdown]
# # A chapter whose cell fails

# %%
raise RuntimeError("this cell fails on purpose")
"""


def test_a_failing_cell_fails_the_build(tmp_path):
    import jupytext

    source = tmp_path / "source"
    (source / "book").mkdir(parents=True)
    (source / "notebooks").mkdir()
    shutil.copy2(ROOT / "_config.yml", source / "_config.yml")
    shutil.copy2(ROOT / "book" / "references.bib", source / "book" / "references.bib")
    (source / "figures").mkdir()
    (source / "book" / "intro.md").write_text("# Intro\n\nA minimal book.\n")
    notebook = jupytext.reads(FAILING_NOTEBOOK, fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    jupytext.write(notebook, source / "notebooks" / "broken.ipynb")
    (source / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: notebooks/broken\n"
    )
    result = build_book(source, tmp_path / "output")
    assert result.returncode != 0
    assert "this cell fails on purpose" in result.stdout + result.stderr
