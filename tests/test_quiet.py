"""Importing genrebench before TensorFlow keeps the C++ runtime's log lines out of outputs."""

import os
import subprocess
import sys

SCRIPT = """
import genrebench
import keras
import numpy as np
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=1, verbose=0)
print("ok")
"""


def _run(env_overrides):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )


def test_tensorflow_is_silent_after_importing_genrebench():
    result = _run({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert result.stderr == "", f"framework noise on stderr:\n{result.stderr}"


def test_a_log_level_the_user_set_wins():
    result = _run({"TF_CPP_MIN_LOG_LEVEL": "0"})
    assert result.returncode == 0, result.stderr
    # With logging re-enabled, TensorFlow's start-up lines come back; proves the
    # silence above comes from genrebench's default, not from this machine.
    assert "tensorflow" in result.stderr or "oneDNN" in result.stderr or "absl" in result.stderr


def test_filter_drops_only_the_known_startup_lines():
    from genrebench.quiet import filter_startup_noise

    noise = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795524772.131973    4908 cudart_stub.cc:31] Could not find cuda drivers.\n"
        "I0000 00:00:1795524772.131973    4908 port.cc:153] oneDNN custom operations are on.\n"
    )
    real = (
        "E0000 00:00:1795524394.450498    2119 cuda_platform.cc:52] failed call to cuInit\n"
        "UserWarning: something a reader must see\n"
    )
    assert filter_startup_noise(noise) == ""
    assert filter_startup_noise(noise + real) == real
