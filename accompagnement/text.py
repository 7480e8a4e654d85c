"""Name normalisation for search: lower case, no accents, single spaces."""

import re
import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", stripped.lower()).strip()


def person_search_text(first_name: str, last_name: str) -> str:
    return fold(f"{first_name} {last_name}")
