"""Document parsers: turn Drive, Sheets and mail files into titled, located text sections.

The names below load on first use, so importing one light submodule (mail headers, say)
does not load the PDF and Office libraries.
"""

from importlib import import_module

_HOMES = {
    "SUPPORTED_TYPES": "tools.parsers.detect",
    "MailAttachment": "tools.parsers.mail",
    "ParseResult": "tools.parsers.types",
    "ParsedEmail": "tools.parsers.mail",
    "Section": "tools.parsers.types",
    "is_archive": "tools.parsers.archive",
    "parse_archive": "tools.parsers.archive",
    "parse_email": "tools.parsers.mail",
    "parse_file": "tools.parsers.parse",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'tools.parsers' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
