"""How many words of prose each built page holds: the measure of the book's length.

Prose is what a reader reads as text on a page of the built HTML: headings, paragraphs,
lists, admonitions, captions and the numbers glued into them. Code cells (their source and
their outputs: tables, figures, printed text), literal blocks, maths, the page's navigation
and Sphinx's permalink signs are not prose; a code output glued into the text (a table shown
with ``{glue:figure}``) is still a code output, so its cells are not prose either, while its
caption is. A word is a run of characters between
whitespace that holds at least one letter or digit, so a dash or a bracket alone is not one.

``python -m genrebench.book.words _build/html`` prints one line per page of the table of
contents, in the book's order, Part I's total and the book's, and a line for each budget
exceeded (:data:`BOOK_BUDGET`, :data:`PAGE_BUDGET`, :data:`PART_ONE_BUDGET`).
"""

import argparse
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Elements whose whole content is not prose, wherever they sit in the article.
SKIPPED_TAGS = frozenset({"pre", "script", "style", "math", "svg", "nav", "form", "button"})
#: Classes whose element, with everything inside it, is not prose.
#: ``output`` marks a code output's own container, inside a cell or glued elsewhere.
#: ``above-input`` and ``below-input`` mark the fold of a hidden code cell, whose "Show code cell
#: source" toggle is a button's words, not prose.
SKIPPED_CLASSES = frozenset(
    {
        "cell_input",
        "cell_output",
        "output",
        "headerlink",
        "math",
        "toggle-details",
        "above-input",
        "below-input",
    }
)
#: Elements that never have a closing tag.
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_WORD = re.compile(r"\S*[^\W_]\S*")

#: The book's length budget in prose words: the whole book, any one page, and Part I (the
#: answer and the evidence it rests on), which a reader in a hurry reads alone.
BOOK_BUDGET = 12_000
PAGE_BUDGET = 2_000
PART_ONE_BUDGET = 6_000
#: The caption of the part :data:`PART_ONE_BUDGET` bounds, as ``_toc.yml`` names it.
PART_ONE = "Part I: The answer"


class _ProseParser(HTMLParser):
    """Collects the text inside ``<article>`` that no skipped element encloses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a skipped region)
        self.article_depth = 0
        self.skipped_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skips = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        self.stack.append((tag, skips))
        self.article_depth += tag == "article"
        self.skipped_depth += skips

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not any(open_tag == tag for open_tag, _ in self.stack):
            return
        # Close everything opened since ``tag`` (HTML lets some end tags be omitted).
        while self.stack:
            open_tag, skips = self.stack.pop()
            self.article_depth -= open_tag == "article"
            self.skipped_depth -= skips
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.article_depth and not self.skipped_depth:
            self.parts.append(data)


def prose_text(html: str) -> str:
    """The prose of one built page (see the module's docstring), its pieces joined by spaces."""
    parser = _ProseParser()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def prose_words(html: str) -> int:
    """The number of prose words in one built page."""
    return len(_WORD.findall(prose_text(html)))


@dataclass(frozen=True)
class PageCount:
    page: str  # the page's path in the table of contents, without suffix
    words: int


def book_pages(book_root: Path) -> list[str]:
    """The pages of ``_toc.yml``, root first, in reading order."""
    import yaml

    toc = yaml.safe_load((book_root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [entry["file"] for entry in part.get("chapters", [])]
    return pages


def part_pages(book_root: Path, caption: str) -> list[str]:
    """The pages of the part of ``_toc.yml`` captioned ``caption`` (none if no part is)."""
    import yaml

    toc = yaml.safe_load((book_root / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == caption:
            return [entry["file"] for entry in part.get("chapters", [])]
    return []


def over_budget(counts: list[PageCount], part_one: list[str]) -> list[str]:
    """One line per budget the counts exceed (none when the book is within them)."""
    problems = [
        f"{count.page}: {count.words:,} words (at most {PAGE_BUDGET:,} a page)"
        for count in counts
        if count.words > PAGE_BUDGET
    ]
    first = sum(count.words for count in counts if count.page in part_one)
    if first > PART_ONE_BUDGET:
        problems.append(f"{PART_ONE}: {first:,} words (at most {PART_ONE_BUDGET:,})")
    total = sum(count.words for count in counts)
    if total > BOOK_BUDGET:
        problems.append(f"book: {total:,} words (at most {BOOK_BUDGET:,})")
    return problems


def count_book(html_dir: Path, book_root: Path) -> list[PageCount]:
    """Prose words on every page of the book, in the table of contents' order."""
    counts = []
    for page in book_pages(book_root):
        path = html_dir / f"{page}.html"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: page of _toc.yml not built (run `make book`)")
        counts.append(PageCount(page, prose_words(path.read_text(encoding="utf-8"))))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genrebench.book.words", description=__doc__)
    parser.add_argument("html_dir", type=Path, help="the built book's HTML folder")
    parser.add_argument("--book", type=Path, default=Path("."), help="folder of _toc.yml")
    args = parser.parse_args(argv)
    try:
        counts = count_book(args.html_dir, args.book)
    except (FileNotFoundError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    width = max(len(count.page) for count in counts)
    for count in counts:
        print(f"{count.page:<{width}}  {count.words:>6,}")
    part_one = part_pages(args.book, PART_ONE)
    print(f"{'part I':<{width}}  {sum(c.words for c in counts if c.page in part_one):>6,}")
    print(f"{'book':<{width}}  {sum(count.words for count in counts):>6,}")
    for problem in over_budget(counts, part_one):
        print(f"over budget: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
