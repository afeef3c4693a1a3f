"""The films: the Wikidata film table shipped in ``bokeh-sampledata`` (CC0).

Credits (title, director, writer, cast, language, country) are the text; the
``Genre`` field gives the labels.
"""

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata

import numpy as np

from genrebench.data.dataset import Dataset

FILMS_SOURCE = "bokeh-sampledata movies.db, table omdb (Wikidata/OMDb film table, CC0)"


def _name_token(role: str, name: str) -> str:
    """A whole person (or place) name as one token, e.g. ``director_ondi_timoner``."""
    slug = re.sub(r"\W+", "_", name.strip().lower()).strip("_")
    return f"{role}_{slug}" if slug else ""


def _people(field_value: str | None) -> list[str]:
    if not field_value:
        return []
    without_notes = re.sub(r"\([^)]*\)", "", field_value)
    return [name.strip() for name in without_notes.split(",") if name.strip()]


def film_text(row: Mapping) -> str:
    """Title words, then person/language/country names both as words and as whole-name tokens."""
    parts = [row.get("Title") or ""]
    for role, column in (("director", "Director"), ("writer", "Writer"), ("cast", "Cast")):
        for person in _people(row.get(column)):
            parts += [person, _name_token(role, person)]
    for role, column in (("language", "Language"), ("country", "Country")):
        for value in _people(row.get(column)):
            parts.append(_name_token(role, value))
    return " ".join(part for part in parts if part)


@lru_cache(maxsize=1)
def load_films() -> Dataset:
    """The Wikidata film table shipped in ``bokeh-sampledata``: credits as text, genres as labels.

    Films without a genre are dropped (and counted in ``meta``). Loaded once per
    process; the returned dataset is immutable.
    """
    import sqlite3

    from bokeh_sampledata.movies_data import movie_path

    columns = [
        "ID",
        "imdbID",
        "Title",
        "Director",
        "Writer",
        "Cast",
        "Language",
        "Country",
        "Genre",
    ]
    query = "SELECT " + ", ".join(f'"{c}"' for c in columns) + " FROM omdb ORDER BY ID"
    with sqlite3.connect(f"file:{movie_path}?mode=ro", uri=True) as connection:
        rows = [dict(zip(columns, values, strict=True)) for values in connection.execute(query)]
    genres_per_film = [
        [g.strip() for g in (row["Genre"] or "").split(",") if g.strip()] for row in rows
    ]
    kept = [i for i, genres in enumerate(genres_per_film) if genres]
    label_names = tuple(sorted({g for i in kept for g in genres_per_film[i]}))
    column_of = {name: j for j, name in enumerate(label_names)}
    Y = np.zeros((len(kept), len(label_names)), dtype=np.uint8)
    for row_index, film in enumerate(kept):
        Y[row_index, [column_of[g] for g in genres_per_film[film]]] = 1
    return Dataset(
        texts=tuple(film_text(rows[i]) for i in kept),
        Y=Y,
        label_names=label_names,
        # The table's own ID: two pairs of films share an imdbID in this table.
        ids=tuple(f"omdb{rows[i]['ID']}" for i in kept),
        meta={
            "source": "films",
            "document_noun": "film",
            "label_noun": "genre",
            "description": FILMS_SOURCE,
            "licence": "CC0 1.0",
            "version": f"bokeh-sampledata {metadata.version('bokeh-sampledata')}",
            "rows_read": len(rows),
            "dropped": {"no genre": len(rows) - len(kept)},
        },
    )
