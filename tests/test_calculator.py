"""The pitfalls chapter's in-page F1 calculator, driven in headless Chromium.

Random cases (all-zero labels and documents, tied scores, scores equal to the
threshold, Keras' ``threshold=None``, 0/1 predictions) are typed into the
built page; every number it shows (read from its ``data-value`` attributes,
written at full precision) is compared with :mod:`genrebench.metrics` to
1e-9. Bad input must show a message and no numbers. The script ships with
every page, so pages without the calculator are checked to be left alone.
"""

import numpy as np
import pytest

from genrebench.audit import keras_top_decode, threshold_decode_strict
from genrebench.metrics import f1_modes, precision_recall_modes

pytestmark = pytest.mark.slow

PAGE = "notebooks/11_pitfalls.html"
TOLERANCE = 1e-9
N_CASES = 24
MODES = ("micro", "macro", "weighted", "samples")


def _text(matrix) -> str:
    return "\n".join(
        " ".join(repr(float(v)) if isinstance(v, float) else str(v) for v in row)
        for row in np.asarray(matrix).tolist()
    )


def _random_case(index: int) -> dict:
    rng = np.random.default_rng(1000 + index)
    n_docs, n_labels = int(rng.integers(1, 9)), int(rng.integers(1, 7))
    truth = (rng.random((n_docs, n_labels)) < 0.35).astype(int)
    if index % 3 == 0:
        truth[:, rng.integers(0, n_labels)] = 0  # a label that never occurs
    if index % 4 == 1:
        truth[rng.integers(0, n_docs)] = 0  # a document without labels
    if index == 5:
        truth[:] = 0  # no positives at all
    # Coarse scores: ties within rows and scores exactly at the threshold.
    scores = rng.integers(0, 11, size=(n_docs, n_labels)) / 10
    if index % 5 == 2:
        scores[rng.integers(0, n_docs)] = 0.0  # an all-zero row: Keras' top rule predicts nothing
    kind = ("scores", "scores", "none", "predictions")[index % 4]
    threshold = (0.3, 0.5, 0.7)[index % 3]
    if kind == "predictions":
        values = (rng.random((n_docs, n_labels)) < 0.4).astype(int)
        predicted = values
    elif kind == "none":
        values = scores if index % 8 else scores * 6 - 3  # logits too (any real is allowed)
        predicted = keras_top_decode(values)
    else:
        values = scores
        predicted = threshold_decode_strict(values, threshold)
    return {
        "truth": truth,
        "values": values,
        "kind": "predictions" if kind == "predictions" else "scores",
        "mode": "none" if kind == "none" else "number",
        "threshold": threshold,
        "predicted": predicted,
    }


def _fill(driver, targets: str, values: str, kind: str, mode: str, threshold: str) -> dict:
    """Type a case into the calculator, press Compute, return state, error and every number."""
    return driver.execute_script(
        """
        const [targets, values, kind, mode, threshold] = arguments;
        document.getElementById('f1-calc-targets').value = targets;
        document.getElementById('f1-calc-predictions').value = values;
        document.getElementById('f1-calc-kind-' + kind).checked = true;
        document.getElementById('f1-calc-threshold-mode').value = mode;
        document.getElementById('f1-calc-threshold').value = threshold;
        document.getElementById('f1-calc-compute').click();
        const numbers = {};
        for (const cell of document.querySelectorAll('#f1-calculator [data-metric]')) {
          numbers[cell.dataset.metric] = Number(cell.dataset.value);
        }
        return {
          state: document.getElementById('f1-calculator').dataset.state,
          error: document.getElementById('f1-calc-error').textContent,
          numbers: numbers,
        };
        """,
        targets,
        values,
        kind,
        mode,
        threshold,
    )


def _expected(truth, predicted, raw_values) -> dict:
    report = f1_modes(truth, predicted, zero_division=0)
    pr = precision_recall_modes(truth, predicted, zero_division=0)
    out = {}
    for mode in MODES:
        out[f"f1-{mode}"] = report[mode]
        out[f"precision-{mode}"] = pr[f"precision_{mode}"]
        out[f"recall-{mode}"] = pr[f"recall_{mode}"]
    for j, row in enumerate(report.per_label.itertuples()):
        for name in ("f1", "precision", "recall", "support", "predicted"):
            out[f"{name}-label-{j}"] = float(getattr(row, name))
    keras = f1_modes(truth, keras_top_decode(raw_values), zero_division=0)
    for mode in ("micro", "macro", "weighted"):
        out[f"keras-f1-{mode}"] = keras[mode]
    for j, value in enumerate(keras.per_label["f1"]):
        out[f"keras-f1-label-{j}"] = float(value)
    return out


@pytest.fixture(scope="module")
def page(site, browser):
    _, base = site
    browser.get(base + PAGE)
    assert browser.execute_script("return !!document.getElementById('f1-calc-compute')")
    return browser


@pytest.mark.parametrize("index", range(N_CASES))
def test_every_number_matches_the_referee(page, index):
    case = _random_case(index)
    shown = _fill(
        page,
        _text(case["truth"]),
        _text(case["values"]),
        case["kind"],
        case["mode"],
        str(case["threshold"]),
    )
    assert shown["state"] == "ok", shown["error"]
    expected = _expected(case["truth"], case["predicted"], case["values"])
    assert set(shown["numbers"]) == set(expected)
    for metric, value in expected.items():
        assert shown["numbers"][metric] == pytest.approx(value, abs=TOLERANCE), metric


def test_nested_lists_as_numpy_prints_them_are_read(page):
    shown = _fill(
        page,
        "[[0, 1, 1], [1, 0, 0]]",
        "[[0.2, 0.9, 0.6], [0.7, 0.1, 0.3]]",
        "scores",
        "number",
        "0.5",
    )
    assert shown["state"] == "ok", shown["error"]
    assert shown["numbers"]["f1-micro"] == pytest.approx(1.0, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("targets", "values", "kind", "mode", "threshold", "message"),
    [
        ("1 0 1\n0 1", "0.1 0.2 0.3\n0.4 0.5 0.6", "scores", "number", "0.5", "row 2 has 2 values"),
        ("1 0\n0 1", "0.1 abc\n0.4 0.5", "scores", "number", "0.5", '"abc") is not a number'),
        ("1 0\n0 1", "0.1 0.2 0.3\n0.4 0.5 0.6", "scores", "number", "0.5", "2 rows of 3 values"),
        ("1 0\n0 1", "0.1 0.2", "scores", "number", "0.5", "1 row of 2 values"),
        ("1 0\n0 1", "0.1 1.7\n0.4 0.5", "scores", "number", "0.5", "must lie in [0, 1]"),
        ("1 2\n0 1", "0.1 0.7\n0.4 0.5", "scores", "number", "0.5", "only 0 and 1"),
        ("1 0\n0 1", "1 0.5\n0 1", "predictions", "number", "0.5", "only 0 and 1"),
        ("1 0\n0 1", "0.1 0.7\n0.4 0.5", "scores", "number", "half", "is not a number in [0, 1]"),
        ("", "0.1 0.7", "scores", "number", "0.5", "paste at least one row"),
    ],
)
def test_bad_input_shows_a_message_and_no_numbers(
    page, targets, values, kind, mode, threshold, message
):
    shown = _fill(page, targets, values, kind, mode, threshold)
    assert shown["state"] == "error"
    assert message in shown["error"]
    assert shown["numbers"] == {}


def test_logits_are_fine_without_a_threshold(page):
    shown = _fill(page, "1 0\n0 1", "2.5 -1\n-3 0.5", "scores", "none", "0.5")
    assert shown["state"] == "ok", shown["error"]
    assert shown["numbers"]["f1-micro"] == pytest.approx(1.0, abs=TOLERANCE)


def test_it_works_from_a_file_url(site, browser):
    html, _ = site
    browser.get((html / PAGE).as_uri())
    shown = _fill(browser, "0 1\n1 1", "0.2 0.8\n0.9 0.4", "scores", "number", "0.5")
    assert shown["state"] == "ok", shown["error"]
    expected = f1_modes([[0, 1], [1, 1]], [[0, 1], [1, 0]], zero_division=0)
    assert shown["numbers"]["f1-micro"] == pytest.approx(expected.micro, abs=TOLERANCE)


def test_every_page_ships_the_script_and_only_the_pitfalls_page_runs_it(site, browser):
    html, base = site
    pages = sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if "_static" not in path.parts and not path.name.startswith(("genindex", "search"))
    )
    assert PAGE in pages
    for name in pages:
        text = (html / name).read_text()
        if 'http-equiv="Refresh"' in text:
            continue  # the root index.html only redirects to the first page
        assert "f1-calculator.js" in text, name
    for name in ("notebooks/03_f1_modes.html", "book/intro.html"):
        browser.get(base + name)
        state = browser.execute_script(
            "return [!!document.getElementById('f1-calculator'),"
            " document.querySelectorAll('[id^=\"f1-calc-\"]').length]"
        )
        assert state == [False, 0], name
        severe = [
            entry["message"]
            for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE" and "f1-calculator" in entry["message"]
        ]
        assert not severe, severe
