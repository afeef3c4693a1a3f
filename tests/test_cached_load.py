"""Reading cached results, as the chapters do, never loads TensorFlow (seconds per chapter)."""

import subprocess
import sys

import pytest

# The calls a chapter makes on a study whose runs are all cached: the study, its
# analysis, its answers and a figure. argv: cache folder, figures folder.
CHAPTER = """
import sys

from genrebench.experiments.cache import ResultCache
from genrebench.experiments.study import run_heads_study
from genrebench.results.answers import f1_answer
from genrebench.results.figures import render_figure
from genrebench.results.heads import analyse
from tests.helpers import tiny_prepared

prepared = tiny_prepared()
study = run_heads_study(
    prepared, ResultCache(sys.argv[1]), seeds=(0, 1), learning_rates=(0.01,),
    snapshot_epochs=(2, 3), batch_size=64, progress=False,
)
analysis = analyse(study, prepared)
f1_answer(analysis)
render_figure("fig-heads-f1-by-decoder", directory=sys.argv[2], analysis=analysis)
print(sorted(name for name in ("tensorflow", "keras") if name in sys.modules))
"""


@pytest.mark.slow
def test_a_cached_study_is_read_without_tensorflow(tmp_path, root):
    def chapter():
        result = subprocess.run(
            [sys.executable, "-c", CHAPTER, str(tmp_path / "cache"), str(tmp_path / "figures")],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=root,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    # The first time trains: here, in this process (which may already hold TensorFlow),
    # with exactly the calls the chapter makes, so that the fresh process finds every run.
    from genrebench.experiments.cache import ResultCache
    from genrebench.experiments.study import run_heads_study
    from tests.helpers import tiny_prepared

    run_heads_study(
        tiny_prepared(), ResultCache(tmp_path / "cache"), seeds=(0, 1), learning_rates=(0.01,),
        snapshot_epochs=(2, 3), batch_size=64, progress=False,
    )  # fmt: skip
    assert chapter() == "[]"  # every run cached: nothing imports the frameworks
