"""The grid runner: the cache decides what is computed, runs that share a batch order train
as one group, progress shows an honest ETA."""

import io

import numpy as np
import pandas as pd
import pytest

from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import GridResult, LocalBackend, Progress, run_grid
from tests.helpers import tiny_config, tiny_prepared


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class TtyStream(io.StringIO):
    def isatty(self):
        return True


def test_progress_reports_done_cached_elapsed_and_eta_one_line_per_run():
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(4, cached=3, label="search", stream=stream, clock=clock)
    assert progress.eta() is None
    clock.now += 30
    progress.advance("sigmoid_bce, seed 0")
    assert progress.eta() == pytest.approx(90)  # 30 s per run, three runs left
    clock.now += 10
    progress.advance()
    assert progress.eta() == pytest.approx(40)  # 20 s per run on average, two left
    lines = stream.getvalue().splitlines()
    assert lines[0] == "search: 0/4 runs trained, 3 from the cache, elapsed 0:00, ETA --:--"
    assert lines[1] == (
        "search: 1/4 runs trained, 3 from the cache, elapsed 0:30, ETA 1:30 (sigmoid_bce, seed 0)"
    )
    assert lines[2].endswith("elapsed 0:40, ETA 0:40")


def test_progress_redraws_one_line_on_a_terminal_and_prints_nothing_when_disabled():
    stream = TtyStream()
    progress = Progress(2, stream=stream, clock=FakeClock())
    progress.advance()
    progress.close()
    assert stream.getvalue().count("\n") == 1 and stream.getvalue().count("\r") == 2
    silent = io.StringIO()
    quiet = Progress(2, stream=silent, enabled=False)
    quiet.advance()
    quiet.close()
    assert silent.getvalue() == ""


def test_long_runs_show_hours():
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(3, stream=stream, clock=clock)
    clock.now += 3725
    progress.advance()
    assert "elapsed 1:02:05, ETA 2:04:10" in stream.getvalue()


class RecordingBackend(LocalBackend):
    """Trains locally and remembers which runs it was handed, and in which groups."""

    def __init__(self):
        self.handed, self.groups = [], []

    def map(self, tasks):
        self.handed += [config for _, group, _ in tasks for config in group]
        self.groups += [list(group) for _, group, _ in tasks]
        yield from super().map(tasks)


@pytest.mark.slow
def test_runs_sharing_a_batch_order_train_in_one_pass_and_only_missing_ones_train(tmp_path):
    """Every head and learning rate of one seed is one group; a group whose runs are partly
    cached trains only the missing ones; every run equals the run trained alone."""
    from genrebench.experiments.runs import execute

    prepared = tiny_prepared()
    configs = [
        tiny_config(head=head, seed=seed, learning_rate=rate)
        for seed in (0, 1)
        for head in ("sigmoid_bce", "softmax_cce", "softmax_cce_norm")
        for rate in (1e-2, 3e-2)
    ]
    cache = ResultCache(tmp_path)
    run_grid(configs[:2], prepared, cache, progress=False)
    backend = RecordingBackend()
    stream = io.StringIO()
    grid = run_grid(configs, prepared, cache, progress=True, backend=backend, stream=stream)
    assert backend.groups == [configs[2:6], configs[6:]]
    # Progress advances by a whole group at a time and says what the group was.
    lines = stream.getvalue().splitlines()
    assert lines[1].startswith("runs: 4/10 runs trained, 2 from the cache")
    assert lines[1].endswith("(2 heads x 2 learning rates, seed 0)")
    assert lines[2].startswith("runs: 10/10") and lines[2].endswith("x 2 learning rates, seed 1)")
    for config, run in zip(configs, grid.runs, strict=True):
        alone = execute(config, prepared)
        assert run.key == alone.key
        pd.testing.assert_frame_equal(run.metrics, alone.metrics, check_exact=True)
        for name, scores in alone.scores.items():
            assert np.array_equal(run.scores[name], scores), (config, name)


def test_a_group_larger_than_the_limit_trains_in_several_passes_with_the_same_results(tmp_path):
    """Memory bounds a pass, not the results: six models of one batch order with a limit of
    four train as two even passes of three, and equal the same grid trained as one pass."""
    prepared = tiny_prepared()
    configs = [
        tiny_config(head=head, learning_rate=rate)
        for head in ("sigmoid_bce", "zlpr", "asl")
        for rate in (1e-2, 3e-2)
    ]
    backend = RecordingBackend()
    split = run_grid(configs, prepared, ResultCache(tmp_path / "a"), False, backend, max_group=4)
    assert backend.groups == [configs[:3], configs[3:]]
    whole = run_grid(configs, prepared, ResultCache(tmp_path / "b"), progress=False)
    for mine, theirs in zip(split.runs, whole.runs, strict=True):
        pd.testing.assert_frame_equal(mine.metrics, theirs.metrics, check_exact=True)


def test_passes_hold_at_most_the_byte_limit_of_input_layers(tmp_path, monkeypatch):
    """The bytes of input layers and moments bound a pass too (a wide vocabulary trains
    fewer models at once): with room for two models, six train as three passes of two."""
    from genrebench.experiments import grid
    from genrebench.models import pass_bytes

    prepared = tiny_prepared()
    configs = [
        tiny_config(head=head, learning_rate=rate)
        for head in ("sigmoid_bce", "zlpr", "asl")
        for rate in (1e-2, 3e-2)
    ]
    width = prepared.X_train.shape[1]
    monkeypatch.setattr(
        grid, "MAX_GROUP_BYTES", pass_bytes(2, width, configs[0].budget.hidden_units)
    )
    backend = RecordingBackend()
    run_grid(configs, prepared, ResultCache(tmp_path), False, backend)
    assert backend.groups == [configs[:2], configs[2:4], configs[4:]]


def test_plain_adam_groups_are_a_third_as_large(tmp_path):
    """Plain Adam's step touches every row, so its passes hold a third of the models
    (memory); lazy Adam's hold the full limit."""
    from dataclasses import replace

    prepared = tiny_prepared()
    lazy = [
        tiny_config(head=head, learning_rate=rate)
        for head in ("sigmoid_bce", "zlpr", "asl")
        for rate in (1e-2, 3e-2)
    ]
    plain = [replace(c, budget=replace(c.budget, optimiser="adam")) for c in lazy]
    backend = RecordingBackend()
    run_grid(lazy + plain, prepared, ResultCache(tmp_path), False, backend, max_group=6)
    assert [len(group) for group in backend.groups] == [6, 2, 2, 2]


@pytest.mark.slow
def test_only_runs_missing_from_the_cache_reach_the_backend(tmp_path):
    cache = ResultCache(tmp_path)
    prepared = tiny_prepared()
    configs = [tiny_config(seed=seed) for seed in range(3)]
    first = run_grid(configs[:1], prepared, cache, progress=False)
    backend = RecordingBackend()
    stream = io.StringIO()
    grid = run_grid(configs, prepared, cache, progress=True, backend=backend, stream=stream)
    assert backend.handed == configs[1:]
    assert grid.sent == [run.key for run in grid.runs[1:]]
    assert [run.cached for run in grid.runs] == [True, False, False]
    assert grid.runs[0].key == first.runs[0].key
    assert "0/2 runs trained, 1 from the cache" in stream.getvalue()
    # Everything is cached now: nothing is handed over and the table is the same.
    again = RecordingBackend()
    repeat = run_grid(configs, prepared, cache, progress=False, backend=again)
    assert again.handed == [] and repeat.sent == []
    assert repeat.metrics.equals(grid.metrics)


def test_results_keep_the_order_of_the_configs_whatever_order_they_finish_in(tmp_path):
    class Reversed(LocalBackend):
        def map(self, tasks):
            yield from reversed(list(super().map(tasks)))

    configs = [tiny_config(seed=seed) for seed in range(3)]
    grid = run_grid(configs, tiny_prepared(), ResultCache(tmp_path), backend=Reversed())
    assert isinstance(grid, GridResult)
    assert [run.record["config"]["budget"]["seed"] for run in grid.runs] == [0, 1, 2]


def test_every_run_is_also_scored_under_its_heads_natural_decoder(tmp_path):
    """The "natural" rows are the head's own untuned rule applied to its scores, on
    validation and test, beside the standard decoders."""
    from genrebench.heads import get_head
    from genrebench.metrics import multilabel_summary

    prepared = tiny_prepared()
    heads = ("softmax_cce", "sparsemax", "zlpr")
    grid = run_grid([tiny_config(head=h) for h in heads], prepared, ResultCache(tmp_path), False)
    for head, run in zip(heads, grid.runs, strict=True):
        rows = run.metrics.query("decoder == 'natural' and epoch == 3")
        assert set(rows["split"]) == {"val", "test"}
        predicted = get_head(head).natural.fit(None, None).apply(run.scores["test_3"])
        expected = multilabel_summary(prepared.Y_test, predicted)
        test_rows = rows.query("split == 'test'").set_index("metric")["value"]
        for metric, value in expected.items():
            assert test_rows[metric] == pytest.approx(value), (head, metric)
