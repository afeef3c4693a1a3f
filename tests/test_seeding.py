"""One seeding helper makes NumPy, Python and Keras draws repeatable."""

import random

import numpy as np
import pytest

from genrebench import seed_everything


def _draws(seed):
    rng = seed_everything(seed, deterministic_ops=False)
    return random.random(), np.random.random(), rng.random()  # noqa: NPY002


def test_same_seed_same_draws_and_different_seed_different_draws():
    assert _draws(7) == _draws(7)
    assert _draws(7) != _draws(8)


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True, None])
def test_rejects_seeds_that_are_not_non_negative_integers(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_everything(seed, deterministic_ops=False)


def test_keras_training_is_repeatable_under_one_seed():
    import keras

    def trained_weights(seed):
        seed_everything(seed)
        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5), keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
        features = np.random.default_rng(0).random((64, 6))
        targets = (features[:, :3] > 0.5).astype("float32")
        model.fit(features, targets, epochs=2, batch_size=16, verbose=0)
        return np.concatenate([weight.ravel() for weight in model.get_weights()])

    np.testing.assert_array_equal(trained_weights(3), trained_weights(3))
    assert not np.array_equal(trained_weights(3), trained_weights(4))
