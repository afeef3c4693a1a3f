"""Your own features (``--features``): a matrix or a table read in place of TF-IDF, joined
to the labels CSV by row or by id; every bad file refused in one line before any training;
and a run on them the same as a run on the same matrix given the way yeast's are."""

import numpy as np
import pandas as pd
import pytest

from genrebench.data import DataError, Dataset
from genrebench.data.csv_file import load_csv
from tests.helpers import write_csv
from tests.test_cli_bad_input import QUICK, assert_refused, in_process

N = 60
LABELS = ["--labels-col", "genres", "--id-col", "id"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The labels CSV, its features in every accepted form, and bad features files."""
    folder = tmp_path_factory.mktemp("features")
    write_csv(folder / "labels.csv", n=N)
    ids = pd.read_csv(folder / "labels.csv", dtype=str)["id"]
    X = np.random.default_rng(1).normal(size=(N, 5))
    np.save(folder / "x.npy", X)
    np.savez(folder / "x.npz", vectors=X)
    table = pd.DataFrame(X, columns=[f"dim{j}" for j in range(5)]).assign(id=ids)
    # A table is joined by id: its own order and extra rows do not matter.
    extra = pd.DataFrame([[9.0] * 5 + ["not-in-the-csv"]], columns=table.columns)
    joined = pd.concat([table, extra]).sample(frac=1.0, random_state=0)
    joined.to_csv(folder / "x.csv", index=False)
    joined.to_parquet(folder / "x.parquet")

    def save(name, matrix):
        np.save(folder / name, matrix)

    save("short.npy", X[:-1])
    save("flat.npy", X[:, 0])
    save("empty.npy", np.zeros((N, 0)))
    save("text.npy", X.astype(str))
    with_nan = X.copy()
    with_nan[6, 2] = np.nan
    save("nan.npy", with_nan)
    with_inf = X.copy()
    with_inf[3, 0] = -np.inf
    save("inf.npy", with_inf)
    np.save(folder / "objects.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
    np.savez(folder / "two.npz", a=X, b=X)
    (folder / "fake.npy").write_text("0.1,0.2\n")
    (folder / "fake.parquet").write_text("id,dim0\n")
    (folder / "binary.csv").write_bytes((folder / "x.npy").read_bytes())
    (folder / "x.txt").write_text("0.1\n")
    table.iloc[1:].to_csv(folder / "missing.csv", index=False)
    pd.concat([table, table.iloc[:1]]).to_csv(folder / "repeated.csv", index=False)
    words = table.astype({"dim3": object})
    words.loc[4, "dim3"] = "n/a"
    words.to_csv(folder / "words.csv", index=False)
    table.drop(columns="id").to_csv(folder / "no_id.csv", index=False)
    table[["id"]].to_csv(folder / "only_id.csv", index=False)
    return folder, X


#: features file -> text its one error line must hold (the label CSV has ids doc0..doc59).
BAD = {
    "short.npy": "short.npy: 59 rows, but the labels CSV has 60 data rows",
    "flat.npy": "flat.npy: a 1-D array of shape (60,)",
    "empty.npy": "empty.npy: the matrix has no columns",
    "text.npy": "text.npy: holds text, not real numbers",
    "nan.npy": "nan.npy: row 7, column 3: NaN; features must be finite",
    "inf.npy": "inf.npy: row 4, column 1: -infinity; features must be finite",
    "objects.npy": "objects.npy: holds Python objects",
    "two.npz": "two.npz: an .npz of features must hold one array; it holds 2",
    "fake.npy": "fake.npy: not a NumPy array file, whatever its extension says",
    "fake.parquet": "fake.parquet: not a Parquet file, whatever its extension says",
    "binary.csv": "binary.csv: holds NUL bytes",
    "x.txt": "features must be a .npy, .npz, .csv or .parquet file, not '.txt'",
    "absent.npy": "absent.npy: file not found",
    "missing.csv": "missing.csv: no row for id 'doc0' of the labels CSV (1 of 60 missing)",
    "repeated.csv": "repeated.csv: column 'id': id 'doc0' appears more than once",
    "words.csv": "words.csv: row 5, column 'dim3': 'n/a' is not a number",
    "no_id.csv": "no_id.csv: no column 'id' (--id-col) to join the labels on",
    "only_id.csv": "only_id.csv: no feature columns besides 'id'",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_features_file_is_one_line_before_any_training(
    name, files, tmp_path, monkeypatch, capsys
):
    folder, _ = files
    args = ["run", "--data", folder / "labels.csv", *LABELS, "--features", folder / name, *QUICK]
    assert_refused(in_process(args, tmp_path, monkeypatch, capsys), BAD[name], tmp_path)


def test_a_table_needs_the_id_column_to_join_on(files, tmp_path, monkeypatch, capsys):
    folder, _ = files
    args = ["check", "--data", folder / "labels.csv", "--labels-col", "genres"]
    result = in_process([*args, "--features", folder / "x.csv"], tmp_path, monkeypatch, capsys)
    assert_refused(
        result, "a features table is joined to the labels by id: pass --id-col", tmp_path
    )


def test_features_do_not_apply_to_a_built_in_dataset(files, tmp_path, monkeypatch, capsys):
    folder, _ = files
    args = ["check", "--data", "films", "--features", folder / "x.npy"]
    result = in_process(args, tmp_path, monkeypatch, capsys)
    assert_refused(result, "--features only apply to a CSV", tmp_path)


@pytest.mark.parametrize("name", ["x.npy", "x.npz", "x.csv", "x.parquet"])
def test_every_form_gives_the_matrix_in_the_csvs_row_order(name, files):
    """An array by row, a table by id (shuffled, with a row the CSV lacks): the same
    dataset, equal to the matrix given directly as a numeric dataset (as yeast's are)."""
    folder, X = files
    read = load_csv(folder / "labels.csv", None, "genres", id_col="id", features=folder / name)
    assert read.texts == ()
    np.testing.assert_array_equal(read.features, X)
    direct = Dataset(texts=(), Y=read.Y, label_names=read.label_names, ids=read.ids, features=X)
    assert read.fingerprint == direct.fingerprint


def test_rows_the_csv_drops_drop_their_features(tmp_path, files):
    """An array has a row for every data row, those without labels too; the documents kept
    get their own rows (row 3 here has no labels and is dropped)."""
    _, X = files
    lines = (write_csv(tmp_path / "labels.csv", n=N)).read_text().splitlines()
    lines[3] = "doc2,some words,"
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    np.save(tmp_path / "x.npy", X)
    read = load_csv(
        tmp_path / "labels.csv", None, "genres", empty_labels="drop", features=tmp_path / "x.npy"
    )
    assert len(read) == N - 1
    np.testing.assert_array_equal(read.features, np.delete(X, 2, axis=0))


def test_without_features_the_text_column_is_required(files):
    folder, _ = files
    with pytest.raises(DataError, match="text_col is needed unless features are given"):
        load_csv(folder / "labels.csv", None, "genres")


def test_a_run_on_features_equals_a_run_on_the_same_numeric_dataset(
    files, tmp_path, monkeypatch, capsys
):
    """The command on ``--features`` and the library on a numeric dataset built from the
    same matrix (yeast's kind) train the same models: every number of results.csv agrees.
    The run also says what it read."""
    from genrebench.experiments.cache import ResultCache
    from genrebench.experiments.splits import run_split_study

    folder, X = files
    heads = ("sigmoid_bce", "softmax_cce")
    args = [
        "run", "--data", folder / "labels.csv", *LABELS, "--features", folder / "x.npy",
        "--heads", ",".join(heads), "--splits", "2", "--seeds", "2",
        "--learning-rates", "0.03", "--epochs", "1", "--out", tmp_path / "out",
    ]  # fmt: skip
    result = in_process(args, tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert "features: 5 numeric columns from" in result.stderr
    run_info = (tmp_path / "out" / "run.json").read_text()
    assert "5 numeric columns from" in run_info and "x.npy" in run_info

    read = load_csv(folder / "labels.csv", "synopsis", "genres", id_col="id")
    numeric = Dataset(
        texts=(), Y=read.Y, label_names=read.label_names, ids=read.ids, features=X,
        meta={"source": "labels.csv"},
    )  # fmt: skip
    study = run_split_study(
        numeric, ResultCache(tmp_path / "library-cache"), splits=(0, 1), seeds=(0, 1),
        heads=heads, learning_rates=(0.03,), snapshot_epochs=(1,), extend=0,
        name="labels.csv", progress=False,
    )  # fmt: skip
    command = pd.read_csv(tmp_path / "out" / "results.csv")
    command = command[command["train_seed"].notna()]
    library = study.metrics
    keys = ["head", "split_seed", "train_seed", "epoch", "split", "decoder", "metric"]
    merged = command.merge(library, on=keys, suffixes=("_command", "_library"))
    assert len(merged) == len(command) == len(library) > 0
    np.testing.assert_array_equal(merged["value_command"], merged["value_library"])
