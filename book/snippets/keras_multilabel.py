"""Multi-label classification in Keras 3: one sigmoid per label, binary
cross-entropy, F1 with explicit thresholds, early stopping on validation
F1, decision thresholds tuned on validation data (one for micro-F1, one
per label for macro-F1), and test F1 with bootstrap intervals over test
documents: micro, macro and per label with its support. A label with no
true and no predicted document scores 0 (``zero_division=0``, as Keras)."""

import keras
import numpy as np

# Candidate thresholds for the tuning below.
THRESHOLDS = np.round(np.arange(0.05, 1.0, 0.05), 2)


def build_model(n_features: int, n_labels: int) -> keras.Model:
    """Bag-of-words in (a dense array or a scipy.sparse matrix), one
    probability per label out."""
    # The output layer's sigmoid already gives probabilities, so from_logits
    # stays False. Without activation="sigmoid", use
    # BinaryCrossentropy(from_logits=True) instead, drop the F1 metrics
    # here (F1Score has no from_logits and would threshold the logits) and
    # compute F1 on keras.ops.sigmoid(logits) outside the model.
    # What makes the model multi-label:
    output = keras.layers.Dense(n_labels, activation="sigmoid")  # per label
    loss = keras.losses.BinaryCrossentropy()  # not CategoricalCrossentropy
    f1 = [  # at one half, to monitor; report F1 at tuned thresholds
        keras.metrics.F1Score(average=a, threshold=0.5, name=f"f1_{a}")
        for a in ("micro", "macro")
    ]
    # The rest is an ordinary Keras model.
    hidden = keras.layers.Dense(64, activation="relu")
    inputs = keras.Input(shape=(n_features,))
    model = keras.Sequential([inputs, hidden, output])
    model.compile(optimizer="adam", loss=loss, metrics=f1)
    return model


def micro_f1(y_true: np.ndarray, predicted: np.ndarray) -> float:
    """Micro-F1 of 0/1 predictions: true positives pooled over labels (0 if
    nothing is true or predicted at all)."""
    true_positives = np.sum((y_true == 1) & (predicted == 1))
    denominator = np.sum(y_true == 1) + np.sum(predicted == 1)
    return float(2 * true_positives / denominator) if denominator else 0.0


def macro_f1(y_true: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1: each label's F1 (0 for a label never true nor predicted),
    averaged equally."""
    scores = [
        micro_f1(y_true[:, j], predicted[:, j])
        for j in range(y_true.shape[1])
    ]
    return float(np.mean(scores))


def interval(y_true, predicted, f1, n_boot: int = 1000, seed: int = 0):
    """``f1`` on the test documents and its 95% bootstrap interval
    (documents resampled)."""
    n = len(y_true)
    draws = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
    boot = [f1(y_true[rows], predicted[rows]) for rows in draws]
    low, high = np.percentile(boot, [2.5, 97.5])
    return f1(y_true, predicted), float(low), float(high)


def tune_threshold(y_val: np.ndarray, p_val: np.ndarray) -> float:
    """The candidate threshold with the best micro-F1 on validation data
    (never the test split)."""
    scores = [micro_f1(y_val, (p_val > t).astype(int)) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(scores))])


def tune_thresholds_per_label(y_val, p_val) -> np.ndarray:
    """One threshold per label, each with that label's best F1 on validation
    (for macro-F1)."""
    labels = range(y_val.shape[1])
    return np.array(
        [tune_threshold(y_val[:, [j]], p_val[:, [j]]) for j in labels]
    )


def decide(scores, thresholds, from_logits: bool = False) -> np.ndarray:
    """0/1 decisions ``probability > threshold`` (one threshold, or one per
    label). Logits (a model without the sigmoid) are turned into
    probabilities first: a threshold of 0.5 on a logit is a threshold of
    0.62 on the probability."""
    probabilities = 1 / (1 + np.exp(-scores)) if from_logits else scores
    return (probabilities > np.asarray(thresholds)).astype(int)


def per_label_report(y_true, predicted, names, n_boot=1000, seed=0) -> list:
    """Per label: (name, support, F1, 95% bootstrap interval over
    documents), rarest first."""
    rows = []
    for j, name in enumerate(names):
        f1 = interval(y_true[:, j], predicted[:, j], micro_f1, n_boot, seed)
        rows.append((name, int(y_true[:, j].sum()), *f1))
    return sorted(rows, key=lambda row: row[1])


if __name__ == "__main__":
    keras.utils.set_random_seed(0)  # seeds Python, NumPy and the backend
    rng = np.random.default_rng(0)
    # Which of 50 words each document has; 5 labels, multi-hot.
    x = (rng.random((600, 50)) < 0.1).astype("float32")
    y = (x @ rng.normal(size=(50, 5)) > 0.5).astype("float32")
    x_train, y_train = x[:400], y[:400]
    x_val, y_val = x[400:500], y[400:500]
    x_test, y_test = x[500:], y[500:]

    model = build_model(n_features=50, n_labels=5)
    # Stop on validation micro-F1, not on the loss.
    stop = keras.callbacks.EarlyStopping(
        "val_f1_micro", mode="max", patience=3, restore_best_weights=True
    )
    fit = {
        "epochs": 30,
        "batch_size": 32,
        "callbacks": [stop],
        "verbose": 0,
    }
    validation = (x_val, y_val)
    history = model.fit(x_train, y_train, validation_data=validation, **fit)
    p_val = model.predict(x_val, verbose=0)
    threshold = tune_threshold(y_val, p_val)  # for micro-F1
    per_label = tune_thresholds_per_label(y_val, p_val)  # for macro-F1
    p_test = model.predict(x_test, verbose=0)
    micro = interval(y_test, decide(p_test, threshold), micro_f1)
    macro = interval(y_test, decide(p_test, per_label), macro_f1)
    print(f"threshold tuned on validation: {threshold:.2f}")
    print("test F1, 95% intervals over test documents (zero_division=0):")
    for name, (f1, low, high) in {
        "micro-F1": micro,
        "macro-F1": macro,
    }.items():
        print(f"{name} {f1:.3f} [{low:.3f}, {high:.3f}]")
    names = [f"label {j}" for j in range(5)]
    report = per_label_report(y_test, decide(p_test, per_label), names)
    for name, support, f1, low, high in report:
        line = f"{name}: support {support}, F1 {f1:.3f}"
        print(f"{line} [{low:.3f}, {high:.3f}]")
