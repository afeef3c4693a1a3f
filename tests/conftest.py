"""Shared test fixtures: paths of the project, and one strict build of the book for all tests.

The tests run the protocol's smoke profile (``GENREBENCH_PROFILE=smoke``, set here before
any test imports :mod:`genrebench.experiments.protocol`, and inherited by every command and
notebook kernel a test starts): small data, 2 splits x 2 seeds, a two-by-two grid. Behaviour
is proved as well on small data as on the publication protocol, which only ``make book``
runs.
"""

import contextlib
import functools
import http.server
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("GENREBENCH_PROFILE", "smoke")

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPIED = ["_config.yml", "_toc.yml", "book", "notebooks", "src", "pyproject.toml", "benchmarks"]


def copy_book(source: Path) -> Path:
    """Copy what a book build reads into ``source`` (an empty folder)."""
    for name in COPIED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    return source


def _book_commands(source: Path, output: Path, env: dict | None):
    """What ``make book`` runs, for a copy of the book built into ``output``: the chapters
    missing from the execution cache in parallel, then a strict Jupyter Book build."""
    # Share the project's experiment cache: the copy must not retrain what the
    # real build (or an earlier test run) already computed for the same code.
    env = {**os.environ, **(env or {}), "GENREBENCH_CACHE": str(ROOT / ".genrebench_cache")}
    (source / "figures").mkdir(exist_ok=True)  # make book creates it; html_extra_path needs it
    env["GENREBENCH_FIGURES_DIR"] = str(source / "figures")
    execute = [
        sys.executable,
        "-m",
        "genrebench.book.execute",
        str(output / "_build" / ".jupyter_cache"),
        "--root",
        str(source),
    ]
    build = [
        str(JUPYTER_BOOK),
        "build",
        str(source),
        "--path-output",
        str(output),
        "--warningiserror",
        "--nitpick",
        "--keep-going",
    ]
    return execute, build, env


def build_book(source: Path, output: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    execute, build, env = _book_commands(source, output, env)
    subprocess.run(execute, capture_output=True, text=True, timeout=1800, env=env, check=False)
    return subprocess.run(build, capture_output=True, text=True, timeout=1800, env=env)


#: The environment variable naming this test session's book build: set by the process that
#: runs the session (pytest alone, or pytest-xdist's controller) and inherited by its workers,
#: so that every worker reads the same build.
RUN_ID = "GB_TEST_SESSION"
#: How long a test waits for the session's book build.
BUILD_TIMEOUT = 1800


def _build_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"genrebench-book-{os.environ[RUN_ID]}"


class _BackgroundBuild:
    """The session's one book build, started as soon as collection shows a test needs it and
    finished before any test runs (:func:`pytest_collection_modifyitems`): on two cores, a
    build beside the tests made every test beside it two or three times slower, and a build
    at low priority was starved until the tests that read it waited for it. With
    pytest-xdist each worker collects the same tests; the first to create the build's folder
    starts the build, and every worker waits for the same result (a return-code file written
    when the build ends)."""

    def __init__(self):
        self.folder = _build_folder()
        try:
            self.folder.mkdir()
        except FileExistsError:
            return  # another worker of this session started it
        (self.folder / "source").mkdir()
        source = copy_book(self.folder / "source")
        execute, build, env = _book_commands(source, self.folder / "output", None)
        done = self.folder / "returncode"
        # The build runs even if a chapter failed to execute: it reports the failure. Its
        # return code is written aside and renamed into place, so a reader never sees half.
        seconds = shlex.quote(str(self.folder / "seconds"))
        script = (
            f"SECONDS=0; {shlex.join(execute)}; {shlex.join(build)}; code=$?; "
            f"echo $SECONDS > {seconds}; echo $code > {shlex.quote(str(done))}.part; "
            f"mv {shlex.quote(str(done))}.part {shlex.quote(str(done))}"
        )
        log = shlex.quote(str(self.folder / "build.log"))
        pid = shlex.quote(str(self.folder / "pid"))
        # Detached, in a process group of its own (so that stopping it stops the kernels it
        # starts too): whichever process ends the session stops it, not the one that started
        # it, which under pytest-xdist may be a worker that ends first.
        detach = f"setsid bash -c {shlex.quote(script)} > {log} 2>&1 < /dev/null & echo $! > {pid}"
        subprocess.run(["bash", "-c", detach], env=env, check=True, preexec_fn=_all_cores)

    def finished(self):
        """Wait until the build has ended, however it ended (a test that reads it reports a
        failure)."""
        done, deadline = self.folder / "returncode", time.monotonic() + BUILD_TIMEOUT
        while not done.is_file() and time.monotonic() < deadline:
            time.sleep(0.5)

    def wait(self):
        done = self.folder / "returncode"
        started = time.monotonic()
        deadline = started + BUILD_TIMEOUT
        while not done.is_file():
            assert time.monotonic() < deadline, "the book build did not finish in time"
            time.sleep(0.5)
        waited = self.folder / f"waited-{os.getpid()}"
        waited.write_text(f"{time.monotonic() - started:.0f}")
        text = (self.folder / "build.log").read_text(errors="replace")
        assert done.read_text().strip() == "0", text[-8000:]
        return self.folder / "source", self.folder / "output" / "_build" / "html"


_BUILD: list[_BackgroundBuild] = []


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


#: The cores this session may use, read before a worker pins itself to one of them.
CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def _all_cores():
    """In a child about to start: undo the worker's pinning (the book build uses every core)."""
    if CORES:
        os.sched_setaffinity(0, CORES)


def pytest_configure(config):
    if not _is_worker(config):
        os.environ[RUN_ID] = uuid.uuid4().hex
    elif CORES and len(CORES) > 1:
        # One core per worker, inherited by the commands a test starts: two workers on two
        # cores then never oversubscribe them with TensorFlow's and BLAS's threads, and a
        # test's duration is what it takes alone on one core.
        worker = int(config.workerinput["workerid"].removeprefix("gw"))
        os.sched_setaffinity(0, {CORES[worker % len(CORES)]})


@pytest.hookimpl(trylast=True)  # after ``-m``/``-k`` deselection: only selected tests count
def pytest_collection_modifyitems(session, config, items):
    """Build the book first if a selected test needs it (each worker waits here, outside any
    test, while the build has both cores), and run the tests that read it last."""
    needs = [item for item in items if "built_book" in getattr(item, "fixturenames", ())]
    if needs:
        _BUILD.append(_BackgroundBuild())
        items[:] = [item for item in items if item not in needs] + needs
        _BUILD[0].finished()  # every core to the build, then every core to the tests


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """How long the session's book build took (before the tests, so in no test's duration),
    and how long tests waited for it afterwards (none, unless it failed to end in time)."""
    if _is_worker(config) or RUN_ID not in os.environ:
        return
    folder = _build_folder()
    if (folder / "seconds").is_file():
        waits = [int(path.read_text()) for path in folder.glob("waited-*")]
        took = (folder / "seconds").read_text().strip()
        terminalreporter.write_line(
            f"book build (smoke profile, before the tests, every core): {took} s; "
            f"tests waited for it {max(waits, default=0)} s"
        )


def pytest_unconfigure(config):
    """The process that ran the session (never a worker, which may end before the others)
    stops the build if it still runs and removes its folder."""
    if _is_worker(config) or RUN_ID not in os.environ:
        return
    folder = _build_folder()
    pid = folder / "pid"
    if pid.is_file():
        # The whole group: the build's execute step and its kernels outlive a killed shell.
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.killpg(int(pid.read_text()), signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def built_book():
    """One strict build of a copy of the book (built at collection, before any test runs)."""
    if not _BUILD:
        _BUILD.append(_BackgroundBuild())
    return _BUILD[0].wait()


@pytest.fixture(scope="module")
def monkeypatch_module():
    """``monkeypatch`` for module-scoped fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        yield patch


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(built_book):
    _, html = built_book
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            "Chromium and chromedriver are not installed (Debian: chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1280,2000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()
