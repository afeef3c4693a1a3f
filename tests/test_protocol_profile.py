"""The protocol's profiles: one environment variable picks publication or smoke, the smoke
profile is smaller on every axis the tests rely on, and the profile keys every cache."""

import json
import os
import subprocess
import sys

import pytest

from genrebench.experiments import protocol

#: Print what a fresh process resolves under a given profile.
PROBE = """
import json
from genrebench.experiments import protocol
from genrebench.experiments.runs import code_fingerprint
print(json.dumps({
    "profile": protocol.PROFILE,
    "splits": len(protocol.SPLITS),
    "seeds": len(protocol.SPLIT_SEEDS),
    "grid": [len(protocol.SEARCH_LEARNING_RATES), len(protocol.SNAPSHOT_EPOCHS)],
    "replications": protocol.COVERAGE_REPLICATIONS,
    "films": protocol.MAX_DOCUMENTS.get("films"),
    "banner": protocol.PROFILE_BANNER,
    "code": code_fingerprint(),
}))
"""


def _resolve(profile: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GENREBENCH_PROFILE"}
    if profile is not None:
        env["GENREBENCH_PROFILE"] = profile
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture(scope="module")
def resolved():
    return {
        name: json.loads(_resolve(value).stdout)
        for name, value in (("unset", None), ("publication", "publication"), ("smoke", "smoke"))
    }


def test_publication_is_the_default_and_smoke_is_smaller_on_every_axis(resolved):
    unset, publication, smoke = resolved["unset"], resolved["publication"], resolved["smoke"]
    assert unset == publication and publication["profile"] == "publication"
    assert publication["films"] is None and publication["banner"] == ""
    assert smoke["splits"] == smoke["seeds"] == 2 and smoke["grid"] == [2, 2]
    assert smoke["films"] and smoke["replications"] < publication["replications"]
    assert (publication["splits"], publication["seeds"]) == (5, 3)
    assert "not the published results" in smoke["banner"]


def test_the_profile_enters_every_cache_key(resolved):
    """Runs, prepared data, sweep cells and the coverage check all key on the run code's
    fingerprint: a smoke result can never be read by a publication build."""
    assert resolved["smoke"]["code"] != resolved["publication"]["code"]


def test_an_unknown_profile_is_refused_in_one_line():
    result = _resolve("publicaton")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "GENREBENCH_PROFILE='publicaton' is not a protocol profile" in last
    assert "publication, smoke" in last


def test_the_tests_run_the_smoke_profile():
    """conftest sets it before anything imports the protocol; a suite that silently ran the
    publication protocol would take half an hour."""
    assert protocol.PROFILE == "smoke"
