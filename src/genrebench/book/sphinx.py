"""Sphinx extension for the book's pages.

* Every page's footer names the package version, build date and commit, so a
  citation of a figure or a number pins exactly what was read. The commit comes
  from ``git`` when the book is built from a checkout (with a ``+`` when the
  work tree has uncommitted changes) and is left out otherwise.
* Inline scripts registered twice (Jupyter Book 1 registers sphinx-thebe's and
  sphinx-togglebutton's configuration once more on a full build) are written
  once, so pages load without "already declared" errors in the console.
* A book built under a protocol profile other than publication (``GENREBENCH_PROFILE``,
  :mod:`genrebench.experiments.protocol`) says so in a banner at the top of every page and
  in the footer stamp, so a smoke build cannot be mistaken for the published results.
* The colour mode starts as light, so the theme does not log an invalid mode.
* A chapter's download menu also offers its jupytext ``.py`` twin (the file
  people edit and review), copied beside the other page sources.
* A table shown with ``{glue:figure}`` under a ``tbl-`` name is numbered and
  referenced as a table ("Table 3"), not as a figure: MyST-NB wraps every glued
  output in a figure node.
"""

import datetime
import html
import shutil
import subprocess
from pathlib import Path

from docutils import nodes


def build_stamp(source_dir: str | Path) -> str:
    """``genrebench <version> · built <YYYY-MM-DD> · commit <short sha>``, and ``· profile
    <name>`` when the protocol's profile is not the publication one."""
    from genrebench import __version__
    from genrebench.experiments import protocol

    parts = [f"genrebench {__version__}", f"built {datetime.date.today().isoformat()}"]
    if protocol.PROFILE_BANNER:
        parts.append(f"profile {protocol.PROFILE}")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=source_dir,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=source_dir,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        parts.append(f"commit {commit}{'+' if dirty else ''}")
    except (OSError, subprocess.SubprocessError):
        pass  # not a git checkout: version and date still pin the build
    return " · ".join(parts)


def _stamp_footer(app, config):
    options = dict(config.html_theme_options or {})
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context
    stamp = build_stamp(app.srcdir)
    existing = options.get("extra_footer") or ""
    options["extra_footer"] = f"{existing}<p>{stamp}</p>" if existing else f"<p>{stamp}</p>"
    from genrebench.experiments import protocol

    if protocol.PROFILE_BANNER:
        options["announcement"] = html.escape(protocol.PROFILE_BANNER)
    config.html_theme_options = options


def _deduplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The second registration uses '' where the first used None as the file name.
        filename = getattr(script, "filename", None) or ""
        key = (filename, repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _paired_source(app, pagename: str) -> Path | None:
    candidate = Path(app.srcdir) / f"{pagename}.py"
    return candidate if pagename.startswith("notebooks/") and candidate.is_file() else None


def _add_py_download(app, pagename, templatename, context, doctree):
    if _paired_source(app, pagename) is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(
                1,
                {
                    "type": "link",
                    "url": f"{context['pathto']('_sources', 1)}/{pagename}.py",
                    "text": ".py",
                    "tooltip": "Download the jupytext (percent) source",
                    "icon": "fas fa-code",
                    "label": "download-py-button",
                },
            )


def _copy_py_sources(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        source = _paired_source(app, docname)
        if source is not None:
            target = Path(app.outdir) / "_sources" / f"{docname}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


class glued_table(nodes.figure):  # docutils names node classes in lower case
    """A ``{glue:figure}`` that holds a table: numbered in the sequence of tables."""


def _tables_as_tables(app, doctree):
    for figure in list(doctree.findall(nodes.figure)):
        if type(figure) is nodes.figure and any(i.startswith("tbl-") for i in figure["ids"]):
            table = glued_table(figure.rawsource, *figure.children, **figure.attributes)
            figure.replace_self(table)
            for node_id in table["ids"]:  # references find their target through this map
                doctree.ids[node_id] = table


def _visit_glued_table(self, node):
    self.visit_figure(node)


def _depart_glued_table(self, node):
    self.depart_figure(node)


def setup(app):
    app.add_enumerable_node(
        glued_table,
        "table",
        html=(_visit_glued_table, _depart_glued_table),
    )
    app.connect("doctree-read", _tables_as_tables)
    app.connect("config-inited", _stamp_footer)
    app.connect("html-page-context", _deduplicate_scripts)
    app.connect("html-page-context", _add_py_download, priority=502)  # after the theme's menu
    app.connect("build-finished", _copy_py_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
