"""Figure files are written under stable names, whole, in every format."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from genrebench.plots import FIGURE_FORMATS, figures_dir, plot_head_scores, save_figure


def _figure():
    return plot_head_scores(
        np.array([1, 0, 1]),
        {"sigmoid_bce": [0.9, 0.1, 0.8], "softmax_cce": [0.45, 0.1, 0.45]},
        label_names=["a", "b", "c"],
    )


def test_save_figure_writes_every_format_and_no_partial_files(tmp_path):
    paths = save_figure(_figure(), "fig-test-scores", directory=tmp_path)
    assert [path.name for path in paths] == [f"fig-test-scores.{fmt}" for fmt in FIGURE_FORMATS]
    assert all(path.stat().st_size > 0 for path in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_saved_svg_is_reproducible(tmp_path):
    first = save_figure(_figure(), "fig-test-scores", directory=tmp_path / "a")
    second = save_figure(_figure(), "fig-test-scores", directory=tmp_path / "b")
    assert first[1].read_bytes() == second[1].read_bytes()


@pytest.mark.parametrize("name", ["scores", "fig test", "fig-a/b"])
def test_figure_names_follow_the_label_scheme(tmp_path, name):
    with pytest.raises(ValueError, match="fig-<chapter>-<what>"):
        save_figure(_figure(), name, directory=tmp_path)


def test_figures_go_to_the_book_root_from_a_notebook_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GENREBENCH_FIGURES_DIR", raising=False)
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    (tmp_path / "notebooks").mkdir()
    assert figures_dir(tmp_path / "notebooks") == tmp_path / "figures"
    monkeypatch.setenv("GENREBENCH_FIGURES_DIR", str(tmp_path / "elsewhere"))
    assert figures_dir(tmp_path / "notebooks") == tmp_path / "elsewhere"


def test_head_bars_mark_the_threshold_and_true_labels():
    figure = _figure()
    ax = figure.axes[0]
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["a\n(true)", "b", "c\n(true)"]
    assert len(ax.patches) == 6
    assert any(np.allclose(line.get_ydata(), 0.5) for line in ax.get_lines())
