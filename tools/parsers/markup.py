"""HTML and RTF documents to plain text."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, XMLParsedAsHTMLWarning
from striprtf.striprtf import rtf_to_text

from tools.parsers.encoding import decode_bytes
from tools.parsers.types import Deadline, ParseFailure

_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_BLOCKS = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "hr",
    "form",
    "address",
    "center",
    "body",
    "title",
    "caption",
    "fieldset",
)
# XHTML and XML-declared pages are still read as HTML on purpose.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def html_to_text(html: str) -> str:
    """Render HTML as readable text: no scripts or styles, one line per block."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    for node in soup.find_all(string=True):
        if node.find_parent("pre") is None:
            node.replace_with(re.sub(r"\s+", " ", str(node)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(("td", "th")):
        cell.insert_after(" | ")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    return tidy_lines(soup.get_text())


def tidy_lines(text: str) -> str:
    """Strip each line, drop trailing cell bars and keep at most one blank line in a row."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        line = re.sub(r"(\s*\|)+$", "", line).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def html_title(html: str) -> str:
    """Return the document <title>, or ""."""
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def read_html(path: Path, deadline: Deadline) -> tuple[str, dict]:
    """Decode an HTML file (meta charset, else detection) and return its text and meta."""
    data = path.read_bytes()
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "ignore") if match else None
    html = decode_bytes(data, declared)
    deadline.check()
    meta = {"title": html_title(html)} if html_title(html) else {}
    return html_to_text(html), meta


def read_rtf(path: Path, deadline: Deadline) -> tuple[str, dict]:
    """Return the text of an RTF file."""
    raw = path.read_bytes()
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ParseFailure("corrupt: not an RTF document")
    # RTF is 7-bit; escaped high characters are resolved by striprtf.
    text = rtf_to_text(raw.decode("cp1252", errors="replace"), errors="replace")
    deadline.check()
    return tidy_lines(text), {}
