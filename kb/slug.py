"""Turn a tree node's name into the slug that identifies it among its siblings."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 80
_NON_WORD = re.compile(r"[\W_]+")


def slugify(name: str) -> str:
    """Return a lowercase, hyphen-separated slug of `name` ('' when it has no letters or digits).

    Accents are folded to their base letters; other scripts are kept as they are, so
    non-Latin names still get distinct slugs.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = _NON_WORD.sub("-", folded.casefold()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")
