"""The footer stamp pins version, date and (in a checkout) the commit."""

import datetime

import genrebench
from genrebench.sphinx_book import build_stamp
from tests.conftest import ROOT


def test_stamp_in_a_checkout_names_version_date_and_commit():
    stamp = build_stamp(ROOT)
    assert f"genrebench {genrebench.__version__}" in stamp
    assert datetime.date.today().isoformat() in stamp
    assert "commit " in stamp


def test_stamp_outside_a_checkout_still_has_version_and_date(tmp_path):
    stamp = build_stamp(tmp_path)
    assert stamp.startswith(f"genrebench {genrebench.__version__} · built ")
    assert "commit" not in stamp
