"""Figure files are written under stable names, whole, in every format."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from genrebench import plots
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


def _axis_texts(figure):
    ax = figure.axes[0]
    return ax.get_xlabel() + " | " + ax.get_ylabel()


_LABEL_NAMES = ["Western", "Music"]
_WORDED_PLOTS = {
    "label_frequencies": lambda **words: plots.plot_label_frequencies(
        pd.Series([30, 5], index=_LABEL_NAMES), 40, **words
    ),
    "cardinality": lambda **words: plots.plot_cardinality([1, 2, 2, 3], **words),
    "per_label_difference": lambda **words: plots.plot_per_label_difference(
        [0.3, 0.05], {"softmax_cce": [0.1, -0.2]}, **words
    ),
    "f1_against_support": lambda **words: plots.plot_f1_against_support(
        pd.DataFrame({"f1": [0.5, 0.0], "support": [30, 5]}, index=_LABEL_NAMES),
        {"micro": 0.4, "macro": 0.25},
        **words,
    ),
}


@pytest.mark.parametrize("name", sorted(_WORDED_PLOTS))
def test_axis_words_name_the_documents_and_labels_given(name):
    """The CLI draws the book's figures for any dataset: its words, never a label's name."""
    text = _axis_texts(_WORDED_PLOTS[name](doc="synopsis", label="tag"))
    assert "tag" in text
    assert "film" not in text and "genre" not in text
    assert not any(label_name in text for label_name in _LABEL_NAMES)


def test_every_cardinality_bar_is_labelled_with_its_count_inside_the_axes():
    """A bar of 3 films beside one of 6,000 is too short to see: its count is written on it."""
    figure = plots.plot_cardinality([1] * 6000 + [2] * 40 + [3] * 3)
    ax = figure.axes[0]
    assert [text.get_text() for text in ax.texts] == ["6,000", "40", "3"]
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    assert all(frame.contains(*text.get_window_extent(renderer).corners()[1]) for text in ax.texts)
    matplotlib.pyplot.close(figure)


def test_point_names_do_not_overlap_and_stay_inside_the_axes():
    """Crowded points (a cluster like Crime, Romance, Thriller on films) get readable names."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 4))
    x = np.array([440, 533, 410, 384, 472, 8, 1785])  # films: test support and F1
    y = np.array([0.434, 0.412, 0.411, 0.507, 0.546, 0.0, 0.99])
    ax.scatter(x, y)
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    names = ["Crime", "Romance", "Thriller", "Horror", "Action", "Music", "Drama"]
    texts = plots.label_points(ax, names, x, y)
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in texts]
    assert [text.get_text() for text in texts] == names
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    frame = ax.get_window_extent(renderer)
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes)
    matplotlib.pyplot.close(figure)


def test_user_strings_with_dollar_signs_are_drawn_literally(tmp_path):
    """A label like ``Cost $x^$`` is text, not mathtext: drawing it must not raise."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from genrebench.plots import plot_label_frequencies, plot_per_label_difference

    frequencies = pd.Series({"Cost $x^$": 30, "Drama": 20, "$5 films": 10})
    fig = plot_label_frequencies(frequencies, 60, doc="row $", label="tag $a^")
    fig.savefig(tmp_path / "frequencies.png")
    fig = plot_per_label_difference([0.1, 0.2], {"softmax": [0.0, 0.1]}, ylabel="$x^")
    fig.savefig(tmp_path / "per_label.png")
    plt.close("all")


def test_training_curves_mark_each_heads_selected_epoch_with_its_own_marker():
    rows = [
        (head, seed, epoch, 1.0 / epoch, selected)
        for head, selected in (("sigmoid_bce", 4), ("softmax_cce", 6), ("softmax_cce_norm", 6))
        for seed in (0, 1)
        for epoch in range(1, 11)
    ]
    curves = pd.DataFrame(
        rows, columns=["head", "train_seed", "epoch", "val_loss", "selected_epoch"]
    )
    figure = plots.plot_training_curves(curves)
    marks = [line for line in figure.axes[0].lines if line.get_linestyle() == "None"]
    assert len(marks) == 6  # one per run
    assert {tuple(line.get_xdata()) for line in marks} == {(4,), (6,)}
    assert len({line.get_marker() for line in marks}) == 3  # the softmax heads differ in shape
    matplotlib.pyplot.close(figure)


def test_the_two_softmax_heads_differ_in_marker_and_line_style():
    from genrebench.plots.style import head_linestyle, head_marker

    assert head_marker("softmax_cce") != head_marker("softmax_cce_norm")
    assert head_linestyle("softmax_cce") != head_linestyle("softmax_cce_norm")
    assert "--" not in {head_linestyle(h) for h in ("sigmoid_bce", "softmax_cce")}


def test_the_forest_plot_applies_the_house_style_even_when_drawn_first(tmp_path):
    """Drawn in a fresh process before any other figure, it must still be saved at the
    house resolution (it once came out at matplotlib's default 100 dpi)."""
    import matplotlib as mpl
    import pandas as pd
    from PIL import Image

    from genrebench.plots import plot_forest, save_figure

    rows = [
        dict(
            dataset=d,
            versus=v,
            decoder="matched",
            metric=m,
            mean_difference=0.01,
            low=0.0,
            high=0.02,
        )
        for d in ("a", "b")
        for v in ("softmax_cce", "softmax_cce_norm")
        for m in ("f1_micro", "f1_macro")
    ]
    with mpl.rc_context(mpl.rcParamsDefault):
        figure = plot_forest(
            pd.DataFrame(rows),
            ["f1_micro", "f1_macro"],
            {"f1_micro": "micro-F1", "f1_macro": "macro-F1"},
            reference="sigmoid_bce",
        )
        save_figure(figure, "fig-test-forest", tmp_path)
    assert round(Image.open(tmp_path / "fig-test-forest.png").info["dpi"][0]) >= 200


@pytest.mark.parametrize("name", sorted(_WORDED_PLOTS))
def test_log_axes_label_their_ticks_as_plain_numbers(name):
    """With mathtext off (for user strings), matplotlib's default log tick labels printed
    as raw ``$\\mathdefault{10^{-2}}$`` under the label-frequency and per-label figures."""
    import matplotlib.pyplot as plt

    figure = _WORDED_PLOTS[name](doc="film", label="genre")
    figure.canvas.draw()
    for ax in figure.axes:
        if ax.get_xscale() == "log":
            labels = [text.get_text() for text in ax.get_xticklabels() if text.get_text()]
            assert labels, "a log axis without tick labels"
            assert not any("$" in label or "mathdefault" in label for label in labels), labels
            assert all(float(label) > 0 for label in labels), labels
    plt.close(figure)


def test_a_log_axis_spanning_one_decade_labels_more_than_one_tick():
    """Shares from 0.07 to 0.6 crossed one power of ten: the axis read "0.1" and nothing else."""
    import matplotlib.pyplot as plt

    figure = plots.plot_per_label_difference(
        [0.07, 0.09, 0.2, 0.3, 0.45, 0.6], {"softmax_cce": [-0.01, 0.01, 0, -0.004, 0.002, 0.009]}
    )
    figure.canvas.draw()
    ax = figure.axes[0]
    low, high = ax.get_xlim()
    shown = [
        float(text.get_text())
        for text in [*ax.get_xticklabels(), *ax.get_xticklabels(minor=True)]
        if text.get_text() and low <= float(text.get_text()) <= high
    ]
    assert len(shown) >= 3 and {0.1, 0.2, 0.5} <= set(shown), shown
    plt.close(figure)


def test_the_family_forest_fills_only_the_differences_that_survive_holm():
    """Filled or hollow is the figure's only mark of Holm's verdict: a difference whose
    interval excludes zero but which did not survive the correction must stay hollow."""
    import pandas as pd

    from genrebench.plots import plot_family_forest
    from genrebench.plots.style import HEAD_COLOURS

    rows = [
        dict(
            dataset="yeast",
            versus=head,
            decoder="matched",
            metric="f1_micro",
            mean_difference=0.02,
            low=0.01,
            high=0.03,
            verdict=verdict,
        )
        for head, verdict in (("zlpr", "ahead"), ("asl", "level"))
    ]
    figure = plot_family_forest(
        pd.DataFrame(rows),
        [("f1_micro", "matched")],
        {("f1_micro", "matched"): "micro-F1, matched"},
        reference="sigmoid_bce",
    )
    (ax,) = figure.axes
    faces = {}
    for line in ax.lines:
        if line.get_marker() == "o":  # the data point (caps are "|")
            faces[round(float(line.get_ydata()[0]))] = line.get_markerfacecolor()
    # Heads go by their display names in figures, never by their code names.
    assert [tick.get_text() for tick in ax.get_yticklabels()] == [
        "ZLPR",
        "sigmoid + asymmetric loss",
    ]
    assert faces[1] == "white"
    assert faces[0] != "white" and faces[0] == HEAD_COLOURS["zlpr"]


def test_every_head_has_a_display_name_colour_and_marker_of_its_own():
    """A reader tells heads apart in every figure: by a name in words (no code name), a
    colour and a marker that no other head shares (sigmoid_bce and sigmoid_bce_norm were
    two blue circles)."""
    from genrebench.heads import HEADS
    from genrebench.plots.style import HEAD_COLOURS, head_marker, series_name

    names = [series_name(head) for head in HEADS]
    assert len(set(names)) == len(HEADS)
    assert not any("_" in name for name in names), names
    assert len({HEAD_COLOURS[head] for head in HEADS}) == len(HEADS)
    assert len({head_marker(head) for head in HEADS}) == len(HEADS)


def test_one_far_comparison_does_not_set_the_scale_of_a_family_panel():
    """An own rule that fails outright (a difference of 0.64 among differences of 0.01)
    would squeeze every other interval to a dot: the panel is scaled to the others and the
    outlier's mean is printed at its edge; without an outlier the scale is left alone."""
    import pandas as pd

    from genrebench.plots.travel import plot_family_forest

    def table(means):
        return pd.DataFrame(
            [
                {
                    "dataset": "yeast",
                    "versus": head,
                    "metric": "f1_micro",
                    "decoder": "natural",
                    "mean_difference": mean,
                    "low": mean - 0.01,
                    "high": mean + 0.01,
                    "verdict": "undecided",
                }
                for head, mean in means.items()
            ]
        )

    comparisons, names = [("f1_micro", "natural")], {("f1_micro", "natural"): "own rule"}
    means = {"softmax_cce": 0.01, "zlpr": -0.005, "asl": 0.008, "sigmoid_bce_norm": 0.64}
    axis = plot_family_forest(table(means), comparisons, names, "sigmoid_bce").axes[0]
    assert axis.get_xlim()[1] < 0.1
    assert [text.get_text() for text in axis.texts] == ["0.64 →"]
    means["sigmoid_bce_norm"] = 0.02
    axis = plot_family_forest(table(means), comparisons, names, "sigmoid_bce").axes[0]
    assert not axis.texts and axis.get_xlim()[1] > 0.03


def test_a_figure_against_cardinality_can_draw_each_head_as_its_gap_to_a_reference():
    """With ``minus``, each line is the head's mean minus the reference's at the same
    cardinality (the reference flat at zero), so heads a hundredth apart separate."""
    from genrebench.plots.sweeps import plot_against_cardinality

    rows = [
        (head, cardinality, seed, "scores", "p@3", base + shift + 0.001 * seed)
        for head, shift in (("bayes", 0.0), ("sigmoid_bce", -0.05), ("softmax_cce", -0.06))
        for cardinality, base in ((1.0, 0.3), (2.0, 0.5))
        for seed in (0, 1)
    ]
    table = pd.DataFrame(
        rows, columns=["head", "mean_cardinality", "train_seed", "decoder", "metric", "value"]
    )
    figure = plot_against_cardinality(table, ["p@3"], decoder="scores", minus="bayes")
    lines = {line.get_label(): line.get_ydata() for line in figure.axes[0].get_lines()}
    assert np.allclose(lines["sigmoid + BCE"], [-0.05, -0.05])
    assert np.allclose(lines["softmax + CCE"], [-0.06, -0.06])
    assert np.allclose(next(iter(lines.values())), [0.0, 0.0])  # the reference itself
