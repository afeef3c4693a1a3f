"""A property of the command on hostile input (issue 30): whatever the CSV and the options,
``check`` and ``run`` either succeed, or exit 2 with exactly one printable line of at most 300
characters and nothing written (no --out, no staging folder, no cache entry); never a
traceback.

Generated: encodings (UTF-8, with a BOM, UTF-16, Latin-1, a stray byte), line endings (LF,
CRLF, CR, mixed), quoting (minimal, all, none), control and bidirectional characters, lone
surrogates in JSON, deep JSON, long names, duplicate and empty ids and headers, degenerate
label matrices (one label, every label rare, every row every label) and degenerate texts
(empty, one letter, every word unique). Both commands run in this process through
:func:`genrebench.cli.main`; ``run`` goes as far as training (its pre-training checks and the
features of every split), where a stand-in stops it. Whole runs on hostile input are in
``test_cli_hostile_run.py``.
"""

import contextlib
import io
import json
import os
import tempfile
import unicodedata
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

QUICK = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "1"]

TEXTS = [
    "some plot words here",
    "drama story about people",
    "comedy of errors and more",
    "",
    "   ",
    "a",
    "x y z !",
    "café au lait",
    "\x1b[31mred words\x1b[0m",
    "bidi \u202e words \u202c",
    "tab\tseparated words",
    "line\nbreak words",
    "cr\rinside words",
    "very " * 80,
    "日本 映画 物語",
    'quote " inside words',
    "comma, inside words",
    "semi; colon words",
]
LABELS = [
    "Drama",
    unicodedata.normalize("NFD", "Café"),
    "\u202eRTL",
    "Dr\x1bama",
    "Co\ufffemedy",
    "L" * 200,
    "",
    " ",
    "<b>",
    "a/b",
    "Drama|Comedy",
]
JSON_CELLS = [
    '["Drama", "\\ud800"]',
    '["Dr\\u0000ama", "Comedy"]',
    "[" * 100_000 + "]" * 100_000,
    '["Drama", null]',
    "[1, 2.5]",
    '["Drama"',
    '{"a": 1}',
    '[["Drama"]]',
    '["x",]',
    "[]",
]
HEADER_NAMES = ["id", "synopsis", "genres", "text", "", "h" * 200, "col\x1b", "\u202ename"]
COLUMN_OPTIONS = ["missing", "synopsis.1", "c" * 300, "\x1b[31m"]
SEPARATORS = [",", ";", "|", "\t", "+", "/"]
FILE_NAMES = [
    "data.csv",
    "data\x1b[1m.csv",
    "data\r.csv",
    os.fsdecode(b"data\xff.csv"),
    "\u202edata.csv",
    "d" * 200 + ".csv",
]


def often(common, *rare, weight: int = 6):
    """``common`` ``weight`` times as often as each of ``rare``."""
    return st.sampled_from([common] * weight + list(rare))


#: What a hostile file may get wrong; each example is a usable file with none, one or two.
FAMILIES = (
    "encoding",
    "line endings",
    "quoting",
    "hostile texts",
    "degenerate texts",
    "header",
    "column options",
    "hostile labels",
    "json labels",
    "hostile json",
    "ids",
    "label matrix",
    "few rows",
    "other separator",
)
CLEAN = ("Drama", "Comedy", "Horror", "Sci-Fi", "Rock & Roll", "Café")


@st.composite
def tables(draw, families: frozenset):
    """Header, rows, the separator, and the options naming the columns of one file."""
    header = ["id", "synopsis", "genres"]
    if "header" in families:
        header = draw(st.lists(st.sampled_from(HEADER_NAMES + header), min_size=1, max_size=4))
    separator = draw(often(",", ";", "|", "\t", weight=4))
    n = draw(st.sampled_from([0, 1, 5, 12])) if "few rows" in families else 40
    matrix = "mixed"
    if "label matrix" in families:
        matrix = draw(st.sampled_from(["one label", "all labels", "unique labels", "nfd"]))
    texts = (
        draw(st.sampled_from(["unique words", "one letter", "empty"]))
        if ("degenerate texts" in families)
        else "words"
    )
    ids = (
        draw(st.sampled_from(["duplicate", "empty", "long", "hostile"]))
        if ("ids" in families)
        else "distinct"
    )
    odd_rows = set(draw(st.lists(st.integers(0, max(n - 1, 0)), min_size=1, max_size=4)))
    rows = []
    for row in range(n):
        atoms = [CLEAN[row % 6], CLEAN[(row * 5 + 1) % 6]][: 1 + row % 2]
        if matrix == "one label":
            atoms = ["Drama"]
        elif matrix == "all labels":
            atoms = list(CLEAN)
        elif matrix == "unique labels":
            atoms = [f"label{row}"]
        elif matrix == "nfd" and row % 2:
            atoms = [unicodedata.normalize("NFD", atom) for atom in atoms]
        odd = row in odd_rows
        if odd and "hostile labels" in families:
            atoms = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3))
        labels = separator.join(atoms)
        if "json labels" in families and (odd or row % 3 == 0):
            labels = json.dumps(atoms, ensure_ascii=draw(st.booleans()))
        if odd and "hostile json" in families:
            labels = draw(st.sampled_from(JSON_CELLS))
        if odd and "other separator" in families:
            labels = draw(st.sampled_from(SEPARATORS)).join([*atoms, "Drama"])
        text = {
            "words": f"word{row % 4} common story{row % 3} plot",
            "unique words": f"unique{row}x only{row}y",
            "one letter": "a b c",
            "empty": "" if odd else "some words",
        }[texts]
        if odd and "hostile texts" in families:
            text = draw(st.sampled_from(TEXTS))
        identifier = {
            "distinct": f"d{row}",
            "duplicate": f"d{row % 30}",
            "empty": "" if odd else f"d{row}",
            "long": "i" * 400 + str(row % 30),
            "hostile": f"d{row}\x1b" if odd else f"d{row}",
        }[ids]
        values = {"id": identifier, "synopsis": text, "genres": labels, "text": text}
        rows.append([values.get(name, "x") for name in header])
    options = ["synopsis", "genres", None]
    if "column options" in families:
        names = [*header, *COLUMN_OPTIONS, None]
        options = [draw(st.sampled_from(names)) for _ in range(3)]
    return header, rows, separator, options


def serialise(draw, header, rows, families: frozenset) -> bytes:
    quoting = draw(st.sampled_from(["all", "none"])) if "quoting" in families else "minimal"
    ending = draw(often("\n", "\r\n", weight=1))
    if "line endings" in families:
        ending = draw(st.sampled_from(["\r", "mixed"]))

    def cell(value: str) -> str:
        special = any(char in value for char in (",", '"', "\r", "\n"))
        if quoting == "all" or (quoting == "minimal" and special):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [",".join(cell(value) for value in line) for line in [header, *rows]]
    if ending == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in lines)
    else:
        text = ending.join(lines) + ending
    encoding = "utf-8"
    if "encoding" in families:
        encoding = draw(st.sampled_from(["utf-8-sig", "utf-16", "latin-1", "stray"]))
    if encoding == "latin-1":
        return text.encode("latin-1", errors="replace")
    data = text.encode("utf-8" if encoding == "stray" else encoding)
    if encoding == "stray" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\x00", b"\x80"])) + data[at:]
    return data


@st.composite
def cases(draw):
    """A data file's bytes, its name and the options that read it."""
    families = frozenset(draw(st.lists(st.sampled_from(FAMILIES), max_size=2, unique=True)))
    header, rows, separator, (text_col, labels_col, id_col) = draw(tables(families))
    data = serialise(draw, header, rows, families)
    name = draw(often(*FILE_NAMES, weight=3))
    options = []
    for option, column in (("--text-col", text_col), ("--labels-col", labels_col)):
        options += [option, column] if column is not None else []
    options += ["--id-col", id_col] if id_col is not None else []
    if separator != "," or draw(st.booleans()):
        options += ["--label-sep", separator]
    return data, name, options


#: ``--out`` and ``--cache`` of a run, relative to a fresh work folder (absolute ones as they are).
PLACES = [
    ("out", None),
    ("out", "cache"),
    ("out\x1b[2J\r", "cache\x1b"),
    ("out", "out/figures"),
    ("out", "."),
    ("out/sub", "out"),
    ("/", "cache"),
    ("/proc/genrebench-x", "cache"),
    ("d" * 240, None),
]
#: Option sets a run may add: none, or one the parser refuses.
EXTRA = [[], ["--splits", "1"], ["--scheduler", "nowhere"], ["--label-sep", ""]]


class Trained(Exception):
    """Raised where the study would start training: every check before it was passed."""


def invoke(args: list) -> tuple[int | None, str, str]:
    """``genrebench ARGS`` in this process: (status or ``None`` if it reached training,
    stdout, stderr)."""
    from genrebench.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        with warnings.catch_warnings():  # --quiet's filter stays in this call
            try:
                status = main([str(arg) for arg in args])
            except SystemExit as stop:
                status = stop.code
            except Trained:
                status = None
    return status, out.getvalue(), err.getvalue()


def assert_refusal(status, stdout: str, stderr: str) -> None:
    assert status == 2, (status, stdout, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert len(lines[0]) <= 300, (len(lines[0]), lines[0])
    assert all(char.isprintable() for char in lines[0]), repr(lines[0])
    assert "Traceback" not in stderr


def printable(text: str) -> bool:
    return all(char.isprintable() for line in text.splitlines() for char in line)


def write_data(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples in every run and in CI
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(case=cases())
def test_check_reads_or_refuses_in_one_line(case):
    data, name, options = case
    with tempfile.TemporaryDirectory() as folder:
        inputs, work = Path(folder, "inputs"), Path(folder, "work")
        inputs.mkdir(), work.mkdir()
        path = write_data(inputs, name, data)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            status, stdout, stderr = invoke(["check", "--data", path, *options])
        finally:
            os.chdir(cwd)
        event(f"status {status}: " + (stderr.split(": ")[-1][:40] if status else "read"))
        if status == 0:
            assert stderr == "" and "documents" in stdout
            assert printable(stdout), stdout
        else:
            assert_refusal(status, stdout, stderr)
        assert list(work.iterdir()) == [] and list(inputs.iterdir()) == [path]


@pytest.fixture(scope="module")
def no_training():
    """Training replaced by :class:`Trained` (module-wide: Hypothesis runs many examples)."""
    import genrebench.experiments.splits as splits

    def stand_in(*args, **kwargs):
        raise Trained

    real, splits.run_split_study = splits.run_split_study, stand_in
    yield
    splits.run_split_study = real


@settings(FUZZ, max_examples=200)
@given(case=cases(), places=often(*PLACES, weight=8), extra=often(*EXTRA, weight=20))
def test_run_trains_or_refuses_in_one_line_having_written_nothing(no_training, case, places, extra):
    data, name, options = case
    with tempfile.TemporaryDirectory() as folder:
        inputs, work = Path(folder, "inputs"), Path(folder, "work")
        inputs.mkdir(), work.mkdir()
        path = write_data(inputs, name, data)
        out, cache = places
        args = ["run", "--data", path, *options, *QUICK, *extra, "--out", work / out]
        args += ["--cache", work / cache] if cache else []
        status, stdout, stderr = invoke(args)
        event(f"status {status}: " + (stderr.split(": ")[-1][:40] if status else "trains"))
        if status is None:  # it would have trained: every check passed, its lines printable
            assert printable(stderr), stderr
        else:
            assert_refusal(status, stdout, stderr)
            assert list(work.iterdir()) == [], "a refused run left files behind"
            assert not Path("/proc/genrebench-x").exists()
        assert list(inputs.iterdir()) == [path]
