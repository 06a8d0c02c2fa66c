"""Document parsers: turn Drive, Sheets and mail files into titled, located text sections."""

from tools.parsers.archive import is_archive, parse_archive
from tools.parsers.detect import SUPPORTED_TYPES
from tools.parsers.mail import MailAttachment, ParsedEmail, parse_email
from tools.parsers.parse import parse_file
from tools.parsers.types import ParseResult, Section

__all__ = [
    "SUPPORTED_TYPES",
    "MailAttachment",
    "ParseResult",
    "ParsedEmail",
    "Section",
    "is_archive",
    "parse_archive",
    "parse_email",
    "parse_file",
]
