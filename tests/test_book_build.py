"""The strict book build: every page renders cleanly, and a failing cell fails the build."""

import pytest
import yaml

pytestmark = pytest.mark.slow

NOISE = ["Traceback", "oneDNN", "absl::", "WARNING:tensorflow", "cuda_", "Error in"]


def _toc_files(toc):
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
    return files


def test_every_toc_page_is_built(built_book):
    source, html = built_book
    toc = yaml.safe_load((source / "_toc.yml").read_text())
    for page in _toc_files(toc):
        assert (html / f"{page}.html").is_file(), f"{page} missing from the HTML"
    index = (html / "index.html").read_text()
    assert f"{toc['root']}.html" in index  # the site opens on the first page, the answer


def test_every_page_of_a_smoke_build_says_so(built_book):
    """The tests build the book under the smoke profile: each page carries the banner, and
    the footer stamp names the profile, so a smoke build is never taken for the real one."""
    import html as markup

    from genrebench.experiments import protocol

    _, html = built_book
    pages = [*html.joinpath("book").glob("*.html"), *html.joinpath("notebooks").glob("*.html")]
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text()
        assert markup.escape(protocol.PROFILE_BANNER) in text, page.name
        assert f"profile {protocol.PROFILE}" in text, page.name


def test_pages_carry_no_tracebacks_or_framework_noise(built_book):
    _, html = built_book
    for page in html.rglob("*.html"):
        text = page.read_text()
        for marker in NOISE:
            assert marker not in text, f"{marker!r} in {page.relative_to(html)}"


def test_figure_files_are_written_and_served_beside_the_pages(built_book):
    source, html = built_book
    from genrebench.book.figindex import figure_entries

    for entry in figure_entries(source / "notebooks"):
        for fmt in ("png", "svg", "pdf"):
            path = html / f"{entry.label}.{fmt}"
            assert path.is_file() and path.stat().st_size > 0, path.name
        from PIL import Image

        with Image.open(html / f"{entry.label}.png") as image:
            assert round(image.info["dpi"][0]) >= 200


def test_figures_name_heads_decoders_and_averages_in_words(built_book):
    """Axis labels, panel titles and legends read "sigmoid + BCE", never ``sigmoid_bce``:
    matplotlib writes each text of an SVG as a comment beside its glyphs."""
    import re

    from genrebench.book.figindex import figure_entries
    from genrebench.decode import DECODERS
    from genrebench.heads import HEADS
    from genrebench.results.tables import F1_METRICS

    source, html = built_book
    code_names = sorted(
        name for name in [*HEADS, *DECODERS, *F1_METRICS] if "_" in name or name == "top1"
    )
    pattern = re.compile(r"(?<![\w.-])({})(?![\w])".format("|".join(map(re.escape, code_names))))
    for entry in figure_entries(source / "notebooks"):
        texts = re.findall(r"<!-- (.*?) -->", (html / f"{entry.label}.svg").read_text())
        found = sorted({name for text in texts for name in pattern.findall(text)})
        assert not found, f"{entry.label}: code names in the figure: {found}"


def test_every_image_on_every_page_exists_and_is_not_empty(built_book):
    _, html = built_book
    pages = list(html.joinpath("notebooks").glob("*.html"))
    assert pages
    images = 0
    for page in pages:
        text = page.read_text()
        for src in __import__("re").findall(r'<img[^>]+src="([^"]+)"', text):
            if src.startswith(("http:", "https:", "data:")):
                continue
            image = (page.parent / src).resolve()
            assert image.is_file() and image.stat().st_size > 0, f"{src} on {page.name}"
            images += 1
    assert images >= 1


def test_prose_names_heads_decoders_and_averages_in_words(built_book):
    """Outside code cells a reader meets "sigmoid + BCE", "one tuned threshold" and
    "micro-F1", never the code names the tables and figures were built from: not in the
    chapters' fixed prose, not in glued sentences, not in captions."""
    import re

    from genrebench.book.words import book_pages, prose_text
    from genrebench.decode import DECODERS
    from genrebench.heads import HEADS
    from genrebench.results.tables import F1_METRICS

    source, html = built_book
    code_names = sorted(
        name for name in [*HEADS, *DECODERS, *F1_METRICS] if "_" in name or name == "top1"
    )
    pattern = re.compile(r"(?<![\w.-])({})(?![\w])".format("|".join(map(re.escape, code_names))))
    for page in book_pages(source):
        found = pattern.findall(prose_text((html / f"{page}.html").read_text()))
        assert not found, f"{page}: code names in prose: {sorted(set(found))}"


def test_the_budgets_are_checked_page_part_and_book():
    """over_budget names each page, part and book total beyond its budget, and nothing else."""
    from genrebench.book.words import PageCount, over_budget

    within = [PageCount("a", 1_900), PageCount("b", 1_900), PageCount("c", 1_900)]
    assert over_budget(within, ["a", "b", "c"]) == []
    assert over_budget(within, ["a", "b", "c", "d"]) == []
    long_page = [PageCount("a", 2_001)]
    assert over_budget(long_page, []) == ["a: 2,001 words (at most 2,000 a page)"]
    part_one = over_budget([*within, PageCount("d", 400)], ["a", "b", "c", "d"])
    assert part_one == ["Part I: The answer: 6,100 words (at most 6,000)"]
    book = over_budget([PageCount(str(n), 1_500) for n in range(9)], [])
    assert book == ["book: 13,500 words (at most 12,000)"]


def test_the_built_book_keeps_its_word_budgets(built_book):
    """The book answers in few words: at most 12,000 prose words in all, 2,000 on any page
    and 6,000 in Part I (counted as `make words` counts them, outside code and outputs).
    The smoke build's prose is the publication build's with other numbers glued in."""
    from genrebench.book.words import PART_ONE, count_book, over_budget, part_pages

    source, html = built_book
    counts, part_one = count_book(html, source), part_pages(source, PART_ONE)
    assert len(counts) >= 10 and len(part_one) >= 3  # the book, and its Part I, were found
    assert over_budget(counts, part_one) == []
