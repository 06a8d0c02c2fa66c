"""Minimal PDF files built byte by byte, for parser and hardening tests."""

from __future__ import annotations

import io
import zlib


def pdf_of(*pages: bytes, flate: bool = False, trailer: bytes = b"") -> bytes:
    """A PDF whose pages have the given content streams (Helvetica as /F1); XREF in `trailer` is the xref offset."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for content in pages:
        data = zlib.compress(content) if flate else content
        objects.append(
            b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
            + data
            + b"\nendstream"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, trailer.replace(b"XREF", b"%d" % xref), xref)
    )
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    """Build a one-page PDF whose page shows `text` in Helvetica."""
    return pdf_of(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
