"""The prose-word count: what a reader reads as text is counted, code and its outputs are not."""

from pathlib import Path

import pytest

from genrebench.book.words import count_book, main, prose_words

PAGE = """<!DOCTYPE html><html><head><title>Not prose at all</title>
<script>var notProse = "nor this";</script></head>
<body><nav class="bd-links"><a href="x.html">Sidebar link words</a></nav>
<article class="bd-article" role="main">
<h1>Heads compared<a class="headerlink" href="#h" title="Link to this heading">#</a></h1>
<p>Sigmoid scored <span class="pasted-text">0.551</span> micro-F1 — see the table.
<p>An omitted end tag closes here.</p>
<div class="cell docutils container">
  <div class="cell_input docutils container">
    <div class="highlight"><pre>glue("x", 1)</pre></div></div>
  <div class="cell_output docutils container">
    <table><tr><td>table cell words</td></tr></table></div>
</div>
<span class="math notranslate">\\(x + y\\)</span><br>
<figure><img src="f.png" alt="alt text"><figcaption><p>Fig. 1 A caption.</p></figcaption></figure>
<pre>literal block</pre>
</article>
<footer>Footer words</footer></body></html>"""


def test_only_the_articles_prose_is_counted():
    # Heads compared (2) + Sigmoid scored 0.551 micro-F1 see the table. (7; the dash alone is
    # no word) + An omitted end tag closes here. (6) + Fig. 1 A caption. (4) = 19: no title,
    # script, sidebar, permalink sign, code, output table, maths, literal block or footer.
    assert prose_words(PAGE) == 19


def test_text_after_a_skipped_region_is_counted_again():
    html = '<article><div class="cell_output"><p>out</p></div><p>one two</p></article>'
    assert prose_words(html) == 2


def test_a_glued_table_is_an_output_and_only_its_caption_is_prose():
    # What {glue:figure} makes of a DataFrame: the output's HTML outside any code cell.
    html = (
        '<article><figure><div class="output text_html"><table><tr><th>head</th>'
        "<td>0.551 [0.547, 0.556]</td></tr></table></div>"
        "<figcaption><p>Table 3 Three heads.</p></figcaption></figure></article>"
    )
    assert prose_words(html) == 4


def test_a_page_without_an_article_has_no_prose():
    assert prose_words("<html><body><p>words outside any article</p></body></html>") == 0


def _book(tmp_path: Path, pages: dict[str, str]) -> Path:
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: C\n    chapters:\n"
        + "".join(f"      - file: {page}\n" for page in pages if page != "intro"),
        encoding="utf-8",
    )
    html = tmp_path / "html"
    for page, body in pages.items():
        (html / page).parent.mkdir(parents=True, exist_ok=True)
        (html / f"{page}.html").write_text(f"<article>{body}</article>", encoding="utf-8")
    return html


def test_the_book_is_counted_page_by_page_in_reading_order(tmp_path, capsys):
    html = _book(tmp_path, {"intro": "<p>one two three</p>", "notebooks/01_a": "<p>four</p>"})
    counts = count_book(html, tmp_path)
    assert [(count.page, count.words) for count in counts] == [
        ("intro", 3),
        ("notebooks/01_a", 1),
    ]
    assert main([str(html), "--book", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].split() == ["book", "4"]


def test_a_page_missing_from_the_build_is_named(tmp_path, capsys):
    html = _book(tmp_path, {"intro": "<p>one</p>", "notebooks/01_a": "<p>two</p>"})
    (html / "notebooks" / "01_a.html").unlink()
    with pytest.raises(FileNotFoundError, match=r"01_a\.html"):
        count_book(html, tmp_path)
    assert main([str(html), "--book", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "01_a.html" in err[0]


def test_the_toggle_of_a_folded_code_cell_is_not_prose():
    """A cell tagged hide-input is folded under a "Show code cell source" toggle: a control's
    label, not prose (the words after the cell are counted again)."""
    html = (
        '<article><div class="cell tag_hide-input"><details class="admonition hide above-input">'
        '<summary><p class="collapsed admonition-title">Show code cell source</p>'
        '<p class="expanded admonition-title">Hide code cell source</p></summary>'
        '<div class="cell_input"><pre>glue("x", 1)</pre></div></details>'
        '<div class="cell_output"><p>out</p></div></div><p>one two</p></article>'
    )
    assert prose_words(html) == 2


def test_a_book_without_a_part_one_is_counted_all_the_same(tmp_path, capsys):
    """`make words` on a table of contents without the Part I caption prints Part I as 0 and
    the book's total last."""
    html = _book(tmp_path, {"intro": "<p>one two</p>", "notebooks/01_a": "<p>three</p>"})
    assert main([str(html), "--book", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].split() == ["part", "I", "0"] and lines[-1].split() == ["book", "3"]
