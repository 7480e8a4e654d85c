"""Trigram similarity on SQLite, so that the demo database searches like PostgreSQL.

PostgreSQL has ``pg_trgm`` (``SIMILARITY``, ``WORD_SIMILARITY`` and the ``%>`` operator with a GIN
index). On SQLite the same two functions are registered in Python when a connection opens, with
pg_trgm's definition of trigrams: each word padded with two spaces before and one after.
"""

from functools import lru_cache

from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

from .text import fold

# French alphabetical order: ICU's French collation on PostgreSQL (the database's own collation may be
# C, where "Élise" sorts after "Zoé"); on SQLite a collation registered below that compares folded text.
POSTGRES_FRENCH_COLLATION = "fr-BE-x-icu"
SQLITE_FRENCH_COLLATION = "french_fold"


@lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset:
    grams = set()
    for word in (text or "").lower().split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def word_similarity(query: str, text: str) -> float:
    """Best similarity between the query and a run of consecutive words of the text: close to
    pg_trgm's ``word_similarity``, which takes the best run of trigrams."""
    words = (text or "").split()
    best = 0.0
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            best = max(best, similarity(query, " ".join(words[start:end])))
    return best


@receiver(connection_created)
def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("SIMILARITY", 2, similarity, deterministic=True)
        connection.connection.create_function("WORD_SIMILARITY", 2, word_similarity, deterministic=True)
        connection.connection.create_collation(SQLITE_FRENCH_COLLATION, compare_folded)


def compare_folded(a: str, b: str) -> int:
    a, b = fold(a), fold(b)
    return (a > b) - (a < b)


def natural_order(expression):
    """``expression`` collated for a French alphabetical ``ORDER BY`` (accents and case ignored first)."""
    if default_connection.vendor == "postgresql":
        return Collate(expression, POSTGRES_FRENCH_COLLATION)
    return Collate(expression, SQLITE_FRENCH_COLLATION)
