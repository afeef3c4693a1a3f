"""Words chosen from numbers, so that glued sentences read as a person would write them.

Each helper takes numbers already formatted as they will be printed (or the values and
the format), and decides from what the reader will *see*: two numbers that print alike are
never set against each other, a ratio is never "times smaller", a share of one is "all".
Text may mark code with backticks (`like_this`).
"""

from collections.abc import Mapping


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def values_phrase(values: Mapping[str, str]) -> str:
    """``"0.021 for softmax and 0.024 for sigmoid"``; ``"0.021 for both softmax and sigmoid"``
    when every printed value is the same (``values``: name -> printed value, in order)."""
    if not values:
        raise ValueError("values_phrase needs at least one value")
    names, printed = list(values), list(values.values())
    if len(set(printed)) == 1 and len(names) > 1:
        both = "both " if len(names) == 2 else "each of "
        return f"{printed[0]} for {both}{join_words(names)}"
    return join_words([f"{value} for {name}" for name, value in values.items()])


def share_word(share: float) -> str:
    """A share as a count word: ``"all"``, ``"none"``, else a percentage (``"95%"``)."""
    if not 0 <= share <= 1:
        raise ValueError(f"a share lies in [0, 1], got {share}")
    printed = f"{share:.0%}"
    if share == 1:
        return "all"
    if share == 0:
        return "none"
    return printed


def shares_phrase(shares: Mapping[str, float], noun: str) -> str:
    """Which share of each owner's ``noun`` (plural) something holds for:
    ``"all of `a`'s genres and 95% of `b`'s"``, or ``"all of the genres of both `a` and
    `b`"`` when the shares print alike."""
    if not shares:
        raise ValueError("shares_phrase needs at least one share")
    words = {owner: share_word(share) for owner, share in shares.items()}
    owners = list(words)
    if len(set(words.values())) == 1 and len(owners) > 1:
        both = "both " if len(owners) == 2 else "each of "
        return f"{words[owners[0]]} of the {noun} of {both}{join_words(owners)}"
    first, *rest = owners
    parts = [f"{words[first]} of {first}'s {noun}"] + [f"{words[o]} of {o}'s" for o in rest]
    return join_words(parts)


def halves_clause(rare: float, common: float, reference: str, other: str) -> str:
    """The reference's mean difference against ``other`` over the rarer and the commoner half
    of the labels, as one clause: ``"`a` leads `b` (mean F1 difference +0.021), and over the
    commoner half too (+0.016)"`` or ``"... but trails it over the commoner half (-0.010)"``.
    The sign words follow the printed numbers (a difference that prints as zero neither leads
    nor trails)."""

    def word(value: float) -> str:
        printed = f"{value:+.3f}"
        if printed in ("+0.000", "-0.000"):
            return "neither leads nor trails"
        return "leads" if value > 0 else "trails"

    def signed(value: float) -> str:
        printed = f"{value:+.3f}"
        return "0.000" if printed in ("+0.000", "-0.000") else printed

    first, second = word(rare), word(common)
    start = f"{reference} {first} {other} (mean F1 difference {signed(rare)})"
    if first == second:
        return f"{start}, and over the commoner half too ({signed(common)})"
    return f"{start}, but {second} it over the commoner half ({signed(common)})"


def largest_printed_gap(first: Mapping, second: Mapping, digits: int = 3) -> float:
    """The largest absolute difference between paired values *as printed* with ``digits``
    decimals, so that "within x of each other" never contradicts two numbers shown beside it
    (0.7904 and 0.8056 print as 0.790 and 0.806: 0.016 apart, not 0.015)."""
    keys = [key for key in first.keys() if key in second.keys()]
    if not keys:
        raise ValueError("largest_printed_gap needs values at shared keys")

    def printed(value) -> float:
        return float(f"{float(value):.{digits}f}")

    return max(abs(printed(first[key]) - printed(second[key])) for key in keys)


def count_of(count: int, total: int, noun: str) -> str:
    """``"3 of the 8 comparisons"``, or ``"all 8 comparisons"``, or ``"none of the 8
    comparisons"``: a count out of a total as a person writes it (``noun`` plural)."""
    if total > 1 and count == total:
        return f"all {total} {noun}"
    if total > 1 and count == 0:
        return f"none of the {total} {noun}"
    return f"{count} of the {total} {noun}"


def grid_growth_phrase(grid: dict) -> str:
    """How a search grid grew (``HeadsStudy.grid``), as a clause: "it did not grow: ..." or
    "it grew once, to ..."."""
    rates = ", ".join(f"{rate:g}" for rate in grid["learning_rates"])
    final = f"learning rates {rates} and read-outs up to epoch {max(grid['snapshot_epochs'])}"
    times = grid["extensions"]
    if times == 0:
        return f"it did not grow: {final}"
    return f"it grew {({1: 'once', 2: 'twice'}).get(times, f'{times} times')}, to {final}"
