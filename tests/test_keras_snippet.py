"""The Keras set-up the answers chapter prints (``book/snippets/keras_multilabel.py``),
executed exactly as it is on disk and checked against the referee (``genrebench.metrics``).

The file is run as a reader would run it (``python keras_multilabel.py``) and also imported
for its functions; nothing here copies or edits its text.
"""

import ast
import contextlib
import importlib.util
import io
import re
import runpy

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import genrebench  # noqa: F401  (quiet TensorFlow)
from genrebench.metrics import f1_modes, micro_f1
from tests.conftest import ROOT

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.slow

SNIPPET = ROOT / "book" / "snippets" / "keras_multilabel.py"
CHAPTER = ROOT / "notebooks" / "08_answers.py"


def run_demo() -> tuple[dict, str]:
    """The snippet run as a script: its globals afterwards, and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        namespace = runpy.run_path(str(SNIPPET), run_name="__main__")
    return namespace, printed.getvalue()


@pytest.fixture(scope="module")
def demo():
    return run_demo()


@pytest.fixture(scope="module")
def snippet():
    spec = importlib.util.spec_from_file_location("keras_multilabel", SNIPPET)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def brute_force_threshold(y, scores, candidates) -> float:
    """The first candidate whose predictions ``scores > t`` have the referee's best micro-F1."""
    f1 = [micro_f1(y, scores > threshold) for threshold in candidates]
    return float(candidates[int(np.argmax(f1))])


def test_the_chapter_includes_the_file_a_reader_copies():
    text = CHAPTER.read_text()
    included = re.findall(r"```\{literalinclude\} (\S+)", text)
    assert "../book/snippets/keras_multilabel.py" in included
    assert (CHAPTER.parent / "../book/snippets/keras_multilabel.py").resolve() == SNIPPET


def test_the_snippet_imports_only_keras_and_numpy():
    tree = ast.parse(SNIPPET.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported == {"keras", "numpy"}


def test_the_demo_prints_the_threshold_and_test_f1_it_computed_with_intervals(demo):
    namespace, printed = demo
    threshold, p_test, y_test = namespace["threshold"], namespace["p_test"], namespace["y_test"]
    first, note, micro_line, macro_line, *labels = printed.strip().splitlines()
    assert first == f"threshold tuned on validation: {threshold:.2f}"
    assert "zero_division=0" in note and "intervals over test documents" in note
    # Micro-F1 under the one threshold, macro-F1 under the per-label ones, as the referee
    # scores them, each with an interval around it.
    modes = f1_modes(y_test, p_test > namespace["per_label"], zero_division=0)
    for line, name, expected in (
        (micro_line, "micro-F1", micro_f1(y_test, p_test > threshold)),
        (macro_line, "macro-F1", modes.macro),
    ):
        low, high = map(float, re.match(rf"{name} {expected:.3f} \[(\S+), (\S+)\]", line).groups())
        assert low < high
    # One line per label, rarest first: support and F1 under its own validation threshold,
    # as the referee counts them.
    per_label = modes.per_label
    support = y_test.sum(axis=0).astype(int)
    assert len(labels) == y_test.shape[1]
    seen = []
    for line in labels:
        j = int(re.match(r"label (\d+): ", line).group(1))
        assert line.startswith(
            f"label {j}: support {support[j]}, F1 {per_label['f1'].iloc[j]:.3f} ["
        )
        seen.append(support[j])
    assert seen == sorted(seen)


def test_the_demo_is_deterministic(demo):
    _, printed = demo
    assert run_demo()[1] == printed


def test_outputs_are_probabilities_from_one_sigmoid(demo):
    """The output is sigmoid of the last Dense layer's pre-activation: applied once, not twice."""
    namespace, _ = demo
    model, x = namespace["model"], namespace["x_test"]
    head = model.layers[-1]
    assert isinstance(head, keras.layers.Dense)
    assert head.units == namespace["y_test"].shape[1]
    probabilities = model.predict(x, verbose=0)
    assert probabilities.min() >= 0.0 and probabilities.max() <= 1.0

    def without_activation(layer):
        config = layer.get_config()
        if layer is head:
            config["activation"] = None
        return layer.__class__.from_config(config)

    logits_model = keras.models.clone_model(model, clone_function=without_activation)
    logits_model.set_weights(model.get_weights())
    logits = logits_model.predict(x, verbose=0)
    assert (logits < 0).any(), "the copy without activation must output logits"
    sigmoid = 1 / (1 + np.exp(-logits.astype(np.float64)))
    np.testing.assert_allclose(probabilities, sigmoid, atol=1e-6)


def test_the_loss_takes_probabilities(demo):
    loss = demo[0]["model"].loss
    assert isinstance(loss, keras.losses.BinaryCrossentropy)
    assert loss.get_config()["from_logits"] is False


def test_every_f1_metric_has_an_explicit_threshold(demo):
    metrics = demo[0]["model"].get_compile_config()["metrics"]
    f1_configs = [entry["config"] for entry in metrics if entry["class_name"] == "F1Score"]
    assert {config["average"] for config in f1_configs} == {"micro", "macro"}
    for config in f1_configs:
        assert isinstance(config["threshold"], float), config
        assert 0.0 < config["threshold"] < 1.0, config


def test_the_snippets_micro_f1_is_the_referees(snippet):
    rng = np.random.default_rng(1)
    for _ in range(20):
        y = (rng.random((30, 4)) < 0.3).astype("float32")
        predicted = (rng.random((30, 4)) < 0.3).astype(int)
        assert snippet.micro_f1(y, predicted) == pytest.approx(micro_f1(y, predicted), abs=1e-12)
    assert snippet.micro_f1(np.zeros((3, 2)), np.zeros((3, 2), dtype=int)) == 0.0


def test_the_snippets_macro_f1_is_the_referees_with_zero_division_zero(snippet):
    rng = np.random.default_rng(2)
    for _ in range(20):
        y = (rng.random((30, 4)) < 0.2).astype("float32")
        predicted = (rng.random((30, 4)) < 0.2).astype(int)
        y[:, 0] = predicted[:, 0] = 0  # a label never true nor predicted
        expected = f1_modes(y, predicted, zero_division=0).macro
        assert snippet.macro_f1(y, predicted) == pytest.approx(expected, abs=1e-12)


def test_the_snippets_interval_resamples_documents_around_the_whole_test_score(snippet):
    y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 10)
    predicted = np.array([[1, 0], [0, 0], [1, 1], [1, 0]] * 10)
    estimate, low, high = snippet.interval(y, predicted, snippet.micro_f1, n_boot=200)
    assert estimate == snippet.micro_f1(y, predicted)
    assert low < estimate < high and 0 <= low and high <= 1
    assert snippet.interval(y, y, snippet.micro_f1, n_boot=50) == (1.0, 1.0, 1.0)


def test_the_candidate_thresholds_cover_the_unit_interval(snippet):
    candidates = snippet.THRESHOLDS
    assert ((candidates > 0) & (candidates < 1)).all()
    assert (np.diff(candidates) > 0).all() and np.diff(candidates).max() <= 0.05 + 1e-9
    assert candidates.min() <= 0.05 and candidates.max() >= 0.95


# Scores on a grid of twentieths land exactly on candidate thresholds, so ties and the
# strict ``>`` are exercised as often as ordinary cases.
cases = st.tuples(st.integers(1, 12), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        arrays(np.int8, shape, elements=st.integers(0, 1)),
        arrays(np.int8, shape, elements=st.integers(0, 20)).map(lambda a: a / 20),
    )
)


@settings(max_examples=60, deadline=None)
@given(cases)
def test_threshold_tuning_equals_a_brute_force_search_with_the_referee(snippet, case):
    y, scores = case
    expected = brute_force_threshold(y, scores, snippet.THRESHOLDS)
    assert snippet.tune_threshold(y, scores) == expected


def test_the_demo_tunes_on_validation_predictions_only(demo):
    namespace, _ = demo
    model, x_val, y_val = namespace["model"], namespace["x_val"], namespace["y_val"]
    np.testing.assert_allclose(namespace["p_val"], model.predict(x_val, verbose=0), atol=1e-6)
    expected = brute_force_threshold(y_val, namespace["p_val"], namespace["THRESHOLDS"])
    assert namespace["threshold"] == expected
    # The only call that tunes passes validation data, nothing from training or test.
    tuning = {"tune_threshold", "tune_thresholds_per_label"}
    main = next(
        node
        for node in ast.parse(SNIPPET.read_text()).body
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    )
    calls = [
        node
        for node in ast.walk(main)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in tuning
    ]
    assert [[ast.unparse(arg) for arg in call.args] for call in calls] == [["y_val", "p_val"]] * 2
    np.testing.assert_array_equal(
        namespace["per_label"],
        [brute_force_threshold(y_val[:, [j]], namespace["p_val"][:, [j]], namespace["THRESHOLDS"])
         for j in range(y_val.shape[1])],
    )  # fmt: skip
    # Validation rows are not test rows.
    sizes = [len(namespace[name]) for name in ("x_train", "x_val", "x_test")]
    assert sum(sizes) == len(namespace["x"])
    np.testing.assert_array_equal(
        np.concatenate([namespace["x_val"], namespace["x_test"]]), namespace["x"][sizes[0] :]
    )


def test_keras_f1_at_one_half_equals_the_referee(demo):
    namespace, _ = demo
    model, x_test, y_test = namespace["model"], namespace["x_test"], namespace["y_test"]
    reported = model.evaluate(x_test, y_test, return_dict=True, verbose=0)
    predicted = model.predict(x_test, verbose=0) > 0.5
    assert predicted.any() and not predicted.all()
    referee = f1_modes(y_test, predicted, zero_division=0)
    assert reported["f1_micro"] == pytest.approx(referee.micro, abs=1e-6)
    assert reported["f1_macro"] == pytest.approx(referee.macro, abs=1e-6)


def test_the_model_takes_a_sparse_bag_of_words(snippet, demo):
    """The docstring's promise: a scipy.sparse matrix works as well as a dense array."""
    namespace, _ = demo
    keras.utils.set_random_seed(0)
    model = snippet.build_model(
        n_features=namespace["x"].shape[1], n_labels=namespace["y"].shape[1]
    )
    sparse_x = scipy.sparse.csr_matrix(namespace["x_train"])
    model.fit(sparse_x, namespace["y_train"], epochs=1, batch_size=32, verbose=0)
    np.testing.assert_allclose(
        model.predict(sparse_x, verbose=0),
        model.predict(namespace["x_train"], verbose=0),
        atol=1e-5,
    )


@settings(max_examples=40, deadline=None)
@given(cases)
def test_per_label_tuning_gives_each_label_its_own_best_threshold(snippet, case):
    y, scores = case
    expected = [
        brute_force_threshold(y[:, [j]], scores[:, [j]], snippet.THRESHOLDS)
        for j in range(y.shape[1])
    ]
    np.testing.assert_array_equal(snippet.tune_thresholds_per_label(y, scores), expected)


def test_logits_are_decided_as_their_probabilities(snippet):
    """A model without the sigmoid outputs logits: deciding on them with ``from_logits``
    equals deciding on the sigmoid's output, and thresholding the logits directly does not."""
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(200, 4)).astype("float32")
    probabilities = 1 / (1 + np.exp(-logits.astype(np.float64)))
    thresholds = np.array([0.3, 0.5, 0.62, 0.8])
    np.testing.assert_array_equal(
        snippet.decide(logits, thresholds, from_logits=True), probabilities > thresholds
    )
    assert (snippet.decide(logits, 0.5) != snippet.decide(logits, 0.5, from_logits=True)).any()


def test_the_per_label_report_counts_support_and_f1_as_the_referee_and_brackets_it(snippet):
    rng = np.random.default_rng(3)
    y = (rng.random((120, 3)) < [0.05, 0.3, 0.6]).astype(int)
    predicted = np.where(rng.random((120, 3)) < 0.8, y, 1 - y)
    report = snippet.per_label_report(y, predicted, ["rare", "middle", "common"], n_boot=200)
    referee = f1_modes(y, predicted, zero_division=0).per_label
    assert [row[0] for row in report] == ["rare", "middle", "common"]  # rarest first
    for name, support, f1, low, high in report:
        j = ["rare", "middle", "common"].index(name)
        assert support == y[:, j].sum()
        assert f1 == pytest.approx(referee["f1"].iloc[j], abs=1e-12)
        assert support == referee["support"].iloc[j]
        assert 0.0 <= low <= f1 <= high <= 1.0
    assert report == snippet.per_label_report(y, predicted, ["rare", "middle", "common"], 200)


def test_training_stops_on_validation_micro_f1_and_keeps_the_best_weights(demo):
    namespace, _ = demo
    stop = namespace["stop"]
    assert isinstance(stop, keras.callbacks.EarlyStopping)
    assert (stop.monitor, stop.mode, stop.restore_best_weights) == ("val_f1_micro", "max", True)
    history = namespace["history"].history
    assert "val_f1_micro" in history and len(history["val_f1_micro"]) <= 30
    best = max(history["val_f1_micro"])
    reported = namespace["model"].evaluate(
        namespace["x_val"], namespace["y_val"], return_dict=True, verbose=0
    )
    assert reported["f1_micro"] == pytest.approx(best, abs=1e-6)  # the best epoch's weights
