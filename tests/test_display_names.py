"""Tables in words: every head, decoder and F1 average a table's index or header carries is
shown by its display name, in the book (through ``genrebench.book.glue``) and in the
command's report; code names stay in code and in the CSV files."""

import pandas as pd

from genrebench.decode import DECODER_DISPLAY, DECODERS
from genrebench.heads import HEADS
from genrebench.results.tables import DISPLAY_NAMES, F1_METRICS, interval_table, readable


def test_every_head_decoder_and_average_has_a_name_in_words():
    for name in [*HEADS, *DECODERS, *F1_METRICS]:
        words = DISPLAY_NAMES[name]
        assert words and "_" not in words, name
    assert set(DECODERS) <= set(DECODER_DISPLAY)
    assert len({DISPLAY_NAMES[name] for name in [*HEADS, *DECODERS]}) == len(HEADS) + len(DECODERS)


def test_a_results_table_reads_in_words_and_keeps_its_cells():
    summary = pd.DataFrame(
        [
            (head, decoder, metric, 0.5, 0.4, 0.6, 3)
            for head in ("sigmoid_bce", "softmax_cce")
            for decoder in ("threshold_0.5", "global_tuned")
            for metric in F1_METRICS
        ],
        columns=["head", "decoder", "metric", "mean", "low", "high", "seeds"],
    )
    table = interval_table(summary, ["sigmoid_bce", "softmax_cce"], decoders=["global_tuned"])
    shown = readable(table)
    assert list(shown.columns) == ["micro-F1", "macro-F1", "weighted F1", "samples-F1"]
    assert shown.index.get_level_values(0).tolist() == ["sigmoid + BCE", "softmax + CCE"]
    assert set(shown.index.get_level_values(1)) == {"one tuned threshold"}
    assert shown.to_numpy().tolist() == table.to_numpy().tolist()


def test_differences_are_named_part_by_part_and_label_names_can_be_left_alone():
    table = pd.DataFrame(
        {"micro-F1, matched": ["0.01 [0.00, 0.02]"]},
        index=pd.MultiIndex.from_tuples(
            [("films", "sigmoid_bce − softmax_cce_norm")], names=["dataset", "difference"]
        ),
    )
    assert readable(table).index[0] == (
        "films",
        "sigmoid + BCE − softmax + CCE on normalised targets",
    )
    # A user's label may be called like a head: an index of labels is kept as written.
    per_label = pd.DataFrame({"sigmoid_bce": [0.5]}, index=pd.Index(["zlpr"], name="label"))
    shown = readable(per_label, axes=("columns",))
    assert shown.index[0] == "zlpr" and shown.columns[0] == "sigmoid + BCE"


def test_the_chapters_glue_tables_in_words(monkeypatch):
    from genrebench.book import glue as module

    glued = {}
    monkeypatch.setattr(module, "_glue", lambda name, value, display: glued.update({name: value}))
    module.glue("t", pd.DataFrame({"f1_micro": [1]}, index=["asl"]), display=False)
    module.glue("n", 3, display=False)
    module.glue("s", "`sigmoid_bce` leads", display=False)
    module.glue("i", pd.DataFrame({"f1_micro": ["0.082 [-0.056, 0.108]*", "5 of 5"]}))
    assert list(glued["t"].columns) == ["micro-F1"] and list(glued["t"].index) == [
        "sigmoid + asymmetric loss"
    ]
    assert glued["n"] == 3
    assert glued["s"] == "sigmoid + BCE leads"
    # An interval never wraps over lines on the page; other text may.
    assert glued["i"]["micro-F1"].tolist() == ["0.082\u00a0[-0.056,\u00a00.108]*", "5 of 5"]


def test_glue_all_glues_each_value_under_its_prefixed_name_as_a_python_number(monkeypatch):
    import numpy as np

    from genrebench.book import glue as module

    glued = {}
    monkeypatch.setattr(
        module, "_glue", lambda name, value, display: glued.update({name: (value, display)})
    )
    module.glue_all({"a": np.float32(0.25), "b": np.int64(3), "c": "softmax_cce"}, prefix="x-")
    assert glued == {"x-a": (0.25, False), "x-b": (3, False), "x-c": ("softmax + CCE", False)}
    assert type(glued["x-a"][0]) is float and type(glued["x-b"][0]) is int


def test_the_reports_tables_never_break_an_interval():
    from genrebench.report_html import table_html as _table_html

    page = _table_html(pd.DataFrame({"f1_micro": ["0.082 [0.056, 0.108]"]}, index=["asl"]))
    assert "0.082&nbsp;[0.056,&nbsp;0.108]" in page and "micro-F1" in page


def test_sentences_and_cells_name_heads_decoders_and_averages_in_words():
    from genrebench.results.tables import in_words

    sentence = (
        "sigmoid_bce_norm, zlpr and sparsemax trail `sigmoid_bce` under global_tuned (f1_micro)"
    )
    assert in_words(sentence) == (
        "sigmoid + BCE on normalised targets, ZLPR and sparsemax trail sigmoid + BCE under "
        "one tuned threshold (micro-F1)"
    )
    # Code that is not a name, names inside other tokens and plain words stay as written.
    for kept in ("`threshold=0.5`", "my_sigmoid_bce_x", "sigmoid_bce2", "x.f1_micro", "matched"):
        assert in_words(kept) == kept
    table = pd.DataFrame(
        {"sigmoid_bce on yeast": ["behind softmax_cce_norm; undecided against softmax_cce"]},
        index=pd.Index(["p@3"], name="metric"),
    )
    shown = readable(table)
    assert shown.columns[0] == "sigmoid + BCE on yeast"
    assert shown.iloc[0, 0] == (
        "behind softmax + CCE on normalised targets; undecided against softmax + CCE"
    )
    assert shown.index[0] == "precision@3"
    # A table of the data's labels keeps its cells as written when asked to.
    labels = pd.DataFrame({"label": ["asl"]})
    assert readable(labels, axes=("columns",), cells=False).iloc[0, 0] == "asl"
