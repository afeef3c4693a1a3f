"""The decoders as scikit-learn estimators: they follow scikit-learn's conventions (params,
clone, pickle, Pipeline), tune exactly what the book's decoders tune, and refuse bad
parameters and scores with one clear error."""

import doctest
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import genrebench.tuning
from genrebench.decode import get_decoder
from genrebench.tuning import LabelSetDecoder, TunedMultiLabelClassifier


def _data(seed=0, n=300, labels=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    Y = (X[:, :labels] + rng.normal(scale=0.8, size=(n, labels)) > 0.4).astype(int)
    return X, Y


def _scores(seed=0, n=200, labels=4):
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, labels)) < 0.3).astype(int)
    S = np.clip(0.35 * Y + rng.random((n, labels)) * 0.6, 0, 1)
    return S, Y


def test_the_doctests_hold():
    assert doctest.testmod(genrebench.tuning).failed == 0


@pytest.mark.parametrize(
    ("metric", "scores", "decoder"),
    [
        ("micro", "marginals", "global_tuned"),
        ("macro", "marginals", "per_label_tuned"),
        ("weighted", "marginals", "per_label_tuned"),
        ("samples", "marginals", "samples_tuned"),
        ("micro", "shares", "count_scaled"),
    ],
)
def test_the_decoder_is_the_books_decoder_for_that_average(metric, scores, decoder):
    S, Y = _scores()
    S_test, _ = _scores(seed=1)
    if scores == "shares":
        S, S_test = S / S.sum(axis=1, keepdims=True), S_test / S_test.sum(axis=1, keepdims=True)
    fitted = LabelSetDecoder(metric=metric, scores=scores).fit(S, Y)
    assert fitted.decoder_.name == decoder
    expected = get_decoder(decoder).fit(Y, S).apply(S_test)
    np.testing.assert_array_equal(fitted.predict(S_test), expected)


def test_it_follows_scikit_learns_conventions():
    S, Y = _scores()
    decoder = LabelSetDecoder(metric="macro")
    assert decoder.get_params() == {"metric": "macro", "scores": "marginals"}
    assert clone(decoder.set_params(metric="micro")).get_params()["metric"] == "micro"
    fitted = decoder.fit(S, Y)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(S), fitted.predict(S))
    model = TunedMultiLabelClassifier(OneVsRestClassifier(LogisticRegression()), metric="macro")
    assert clone(model).get_params()["metric"] == "macro"
    assert "estimator__estimator__C" in model.get_params()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LabelSetDecoder(metric="f1").fit(*_scores()), "metric must be one of"),
        (lambda: LabelSetDecoder(scores="logits").fit(*_scores()), "scores must be one of"),
        (lambda: LabelSetDecoder().predict(np.zeros((2, 4))), "not fitted"),
        (lambda: LabelSetDecoder().fit(*_scores()).predict(np.zeros((2, 3))), "4 columns"),
        (lambda: LabelSetDecoder().fit(np.full((3, 2), np.nan), np.ones((3, 2))), "NaN"),
        (
            lambda: TunedMultiLabelClassifier(LogisticRegression(), metric="f2").fit(*_data()),
            "metric must be one of",
        ),
    ],
    ids=["bad metric", "bad scores", "unfitted", "wrong width", "NaN scores", "bad metric (meta)"],
)
def test_bad_parameters_and_scores_are_one_clear_error(make, message):
    with pytest.raises(Exception, match=message):
        make()


def test_inside_a_pipeline_on_one_vs_rest_logistic_regression_the_rule_is_tuned_on_held_out_data():
    """The threshold is the one the book's decoder tunes on the held-out part's scores, and the
    classifier is then refitted on all the training data."""
    X, Y = _data()
    ovr = OneVsRestClassifier(LogisticRegression())
    pipeline = Pipeline(
        [("scale", StandardScaler()), ("model", TunedMultiLabelClassifier(ovr, metric="micro"))]
    ).fit(X, Y)
    model = pipeline.named_steps["model"]
    Xs = pipeline.named_steps["scale"].transform(X)
    X_fit, X_val, Y_fit, Y_val = train_test_split(Xs, Y, test_size=0.2, random_state=0)
    scores = clone(ovr).fit(X_fit, Y_fit).predict_proba(X_val)
    tuned = get_decoder("global_tuned").fit(Y_val, scores)
    assert model.decoder_.decoder_.threshold == tuned.threshold
    refit = clone(ovr).fit(Xs, Y).predict_proba(Xs)
    np.testing.assert_array_equal(pipeline.predict(X), tuned.apply(refit))


def test_on_a_keras_models_scores():
    """A sigmoid network's validation scores tune the rule as the book's decoder does."""
    import keras

    from genrebench.seeding import seed_everything

    seed_everything(0)
    X, Y = _data(n=240)
    model = keras.Sequential(
        [keras.Input(shape=(6,)), keras.layers.Dense(Y.shape[1], activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X[:160], Y[:160], epochs=3, verbose=0)
    S_val, S_test = model.predict(X[160:200], verbose=0), model.predict(X[200:], verbose=0)
    decoder = LabelSetDecoder(metric="macro").fit(S_val, Y[160:200])
    expected = get_decoder("per_label_tuned").fit(Y[160:200], S_val).apply(S_test)
    np.testing.assert_array_equal(decoder.predict(S_test), expected)
