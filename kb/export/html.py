"""Render a KB snapshot as one self-contained HTML page: collapsible tree, entry view, search box."""

from __future__ import annotations

from html import escape
from pathlib import Path

from kb.export.page import PAGE_CSS, PAGE_JS


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _entry_link(entry: dict) -> str:
    return (
        f'<li class="entry" data-entry="{_e(entry["id"])}"><a href="#e-{_e(entry["id"])}">{_e(entry["title"])}</a>'
        f' <code class="loc">{_e(entry["locator"])}</code></li>'
    )


def _count(node: dict) -> int:
    if node["level"] == "entry_group":
        return len(node["entries"])
    return sum(_count(c) for c in node["children"])


def _node(node: dict, path: list[str]) -> str:
    here, total = path + [node["name"]], _count(node)
    summary = (
        f'<summary><span class="name">{_e(node["name"])}</span> '
        f'<span class="n" data-total="{total}">{total}</span></summary>'
    )
    if node["level"] == "entry_group":
        body = '<ul class="entries">' + "".join(_entry_link(e) for e in node["entries"]) + "</ul>"
    else:
        body = "".join(_node(c, here) for c in node["children"])
    return f'<details class="{_e(node["level"])}" data-path="{_e("/".join(here))}">{summary}{body}</details>'


def _articles(node: dict, path: list[str]) -> str:
    here = path + [node["name"]]
    if node["level"] != "entry_group":
        return "".join(_articles(c, here) for c in node["children"])
    out = []
    for e in node["entries"]:
        out.append(
            f'<article class="entry-view" id="e-{_e(e["id"])}"><h2>{_e(e["title"])}</h2>'
            f'<p class="path">{_e(" / ".join(here))}</p>'
            f'<dl><dt>source</dt><dd><code class="locator">{_e(e["locator"])}</code></dd>'
            f"<dt>type</dt><dd>{_e(e['source_type'])} · {_e(e['file_type'] or '-')}</dd></dl>"
            f'<pre class="content">{_e(e["content"])}</pre></article>'
        )
    return "".join(out)


def render_html(snap: dict) -> str:
    """Return the page for a snapshot from `kb.browse.snapshot`; every text is HTML-escaped."""
    c = snap["counts"]
    counts = f"{c['domain']} domains · {c['skill']} skills · {c['entry_group']} groups · {c['entries']} entries"
    tree = "".join(_node(d, []) for d in snap["tree"]) or '<p class="empty">This client has no entries yet.</p>'
    articles = "".join(_articles(d, []) for d in snap["tree"])
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>grove · {_e(snap['client_id'])}</title><style>{PAGE_CSS}</style></head>\n<body>"
        f'<header><h1>grove · {_e(snap["client_id"])}</h1><p class="counts">{_e(counts)}</p>'
        '<input id="search" type="search" placeholder="Search titles, text and sources…" autocomplete="off" '
        'aria-label="Search entries"> <span id="count" aria-live="polite"></span></header>\n'
        f'<main><nav id="tree" aria-label="Knowledge tree">{tree}</nav>\n'
        '<section id="view"><p class="hint">Open a domain, a skill and a group, then pick an entry to read it '
        f"with the source it came from.</p>{articles}</section></main>\n"
        f"<script>{PAGE_JS}</script></body></html>\n"
    )


def write_html(snap: dict, out: str | Path) -> Path:
    """Write the page to `out` (a file path; its folder is created) and return the path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(snap), encoding="utf-8")
    return path
