"""Shared test fixtures: paths of the project, and one strict build of the book for all tests."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

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


def build_book(source: Path, output: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    # Share the project's experiment cache: the copy must not retrain what the
    # real build (or an earlier test run) already computed for the same code.
    env = {**os.environ, **(env or {}), "GENREBENCH_CACHE": str(ROOT / ".genrebench_cache")}
    (source / "figures").mkdir(exist_ok=True)  # make book creates it; html_extra_path needs it
    env["GENREBENCH_FIGURES_DIR"] = str(source / "figures")
    return subprocess.run(
        [
            str(JUPYTER_BOOK),
            "build",
            str(source),
            "--path-output",
            str(output),
            "--warningiserror",
            "--nitpick",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    source = copy_book(tmp_path_factory.mktemp("book-source"))
    output = tmp_path_factory.mktemp("book-output")
    result = build_book(source, output)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return source, output / "_build" / "html"


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
