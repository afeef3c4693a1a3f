"""A reader's browser: every page of the built book opened in headless Chromium.

For each page: no severe console errors (blocked external requests aside),
every image loaded, every internal link resolving (page and anchor), every
figure captioned, and a screenshot saved under _build/screenshots/ for a person
to look at. Skips with a reason where Chromium or its driver is missing;
``.ci/run`` installs both so CI always runs it.
"""

from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _pages(html: Path) -> list[str]:
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not path.name.startswith(("genindex", "search")) and "_static" not in path.parts
    )


def test_every_page_loads_cleanly_and_links_resolve(site, browser):
    html, base = site
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    for page in _pages(html):
        browser.get(base + page)
        browser.execute_script("return document.readyState")
        for entry in browser.get_log("browser"):
            external = "127.0.0.1" not in entry["message"].split(" ")[0]
            if entry["level"] == "SEVERE" and not external:
                problems.append(f"{page}: console: {entry['message']}")
        for src, width in browser.execute_script(
            "return Array.from(document.images).map(i => [i.src, i.naturalWidth])"
        ):
            if src.startswith(base) and not width:
                problems.append(f"{page}: image not loaded: {src}")
        captions = browser.execute_script(
            "return Array.from(document.querySelectorAll('figure'))"
            ".map(f => !!f.querySelector('figcaption'))"
        )
        if not all(captions):
            problems.append(f"{page}: a figure without a caption")
        for href in browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
        ):
            target, anchor = urldefrag(urljoin(base + page, href))
            if not target.startswith(base):
                continue
            path = html / urlparse(target).path.lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                problems.append(f"{page}: broken link {href}")
            elif anchor and path.suffix == ".html" and f'id="{anchor}"' not in path.read_text():
                problems.append(f"{page}: missing anchor {href}")
        browser.save_screenshot(str(shots / (page.replace("/", "__") + ".png")))
    assert not problems, "\n".join(problems[:40])


def test_the_first_page_answers_both_questions_in_one_screen(site, browser):
    """At 1280 x 800 the landing page shows, without scrolling, the larger lever, both
    answers, the decision table and the recipe: the bottom of its last block lies within
    800 pixels of the top of the page proper (below the smoke build's banner, which the
    published book does not have)."""
    _, base = site
    browser.set_window_size(1280, 800)
    try:
        browser.get(base + "notebooks/00_the_answer.html")
        top, bottom, blocks = browser.execute_script(
            """
            const banner = document.querySelector('.bd-header-announcement');
            const landing = document.querySelector('.landing');
            const code = landing.querySelector('div.highlight');
            return [banner ? banner.getBoundingClientRect().bottom : 0,
                    code.getBoundingClientRect().bottom,
                    landing.querySelectorAll('table tbody tr').length];
            """
        )
    finally:
        browser.set_window_size(1280, 2000)
    assert 1 <= blocks <= 5, f"the decision table has {blocks} rows"
    assert bottom - top <= 800, f"the recipe ends {bottom - top:.0f} px below the page's top"


#: Tables that are not results: the F1 calculator's (built by the reader's input) and the
#: figures page's index of every figure (a catalogue, the page itself).
_NOT_RESULTS = ".f1-calculator, .highlight"
_CATALOGUES = {"notebooks/10_figures.html"}


def test_tables_fit_the_text_column_and_long_ones_are_folded(site, browser):
    """At 1280 px wide no table is wider than the article's text column, and a table in the
    running text (not folded in a dropdown) has at most ten rows."""
    html, base = site
    browser.set_window_size(1280, 2000)
    problems = []
    for page in _pages(html):
        if page in _CATALOGUES:
            continue
        browser.get(base + page)
        for name, rows, folded, width, column in browser.execute_script(
            """
            const article = document.querySelector('article.bd-article');
            if (!article) return [];
            const column = article.getBoundingClientRect().width;
            return Array.from(article.querySelectorAll('table'))
                .filter(t => !t.closest(arguments[0]))
                .map(t => {
                    const details = t.closest('details');
                    if (details) details.open = true;  // a closed dropdown has no width
                    const named = t.closest('[id^="tbl-"]');
                    return [named ? named.id : t.innerText.slice(0, 40),
                            t.querySelectorAll('tbody tr').length, !!details,
                            t.scrollWidth, column];
                });
            """,
            _NOT_RESULTS,
        ):
            if width > column + 1:
                problems.append(f"{page}: {name} is {width} px wide, the column {column:.0f} px")
            if rows > 10 and not folded:
                problems.append(f"{page}: {name} shows {rows} rows in the running text")
    assert not problems, "\n".join(problems)


def _svg_width_and_smallest_font(path: Path) -> tuple[float, float]:
    """A matplotlib SVG's width in points and its smallest text in points: each text is drawn
    as glyphs scaled by its font size over 100 (``scale(0.1 -0.1)`` for 10 pt)."""
    import re

    svg = path.read_text()
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg).group(1))
    sizes = [100 * float(scale) for scale in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
    return width, min(sizes)


def test_every_figure_keeps_its_smallest_text_at_8_pt_on_the_page(site, browser):
    """At 1280 px wide, every registered figure's smallest text (tick labels, legends, cell
    values) is at least 8 pt as the page shows it: its size in the figure times the width the
    page gives the image over the figure's own width. A figure drawn wider than the column is
    shrunk, and its text with it."""
    html, base = site
    browser.set_window_size(1280, 2000)
    checked, problems = 0, []
    for page in _pages(html):
        browser.get(base + page)
        for name, shown in browser.execute_script(
            """
            return Array.from(document.querySelectorAll('figure[id^="fig-"] img')).map(img => {
                const details = img.closest('details');
                if (details) details.open = true;  // a closed dropdown shows nothing
                return [img.closest('figure').id, img.getBoundingClientRect().width];
            });
            """
        ):
            svg = html / f"{name}.svg"
            if not svg.is_file():  # not a registered figure (none is, today)
                continue
            width, smallest = _svg_width_and_smallest_font(svg)
            points = smallest * shown * 0.75 / width  # CSS px are 0.75 pt
            checked += 1
            if points < 8:
                problems.append(f"{page}: {name}'s smallest text is {points:.1f} pt on the page")
    assert checked >= 15, checked
    assert not problems, "\n".join(problems)
