"""The random cases the calculator's browser test feeds the page cover the edges (no browser,
no book: kept apart from the page's tests, which wait for the session's book build)."""

from tests.test_calculator import N_CASES, _random_case


def test_the_cases_cover_the_edges():
    cases = [_random_case(index) for index in range(N_CASES)]
    assert any((case["truth"].sum(axis=0) == 0).any() for case in cases)
    assert any((case["truth"].sum(axis=1) == 0).any() for case in cases)
    assert any(case["truth"].sum() == 0 for case in cases)
    assert any(
        case["mode"] == "none"
        and (case["values"] == case["values"].max(axis=1, keepdims=True)).sum(axis=1).max() > 1
        for case in cases
    )
    assert any(
        case["kind"] == "scores"
        and case["mode"] == "number"
        and (case["values"] == case["threshold"]).any()
        for case in cases
    )
    assert {case["kind"] for case in cases} == {"scores", "predictions"}
