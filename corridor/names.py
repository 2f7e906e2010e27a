"""Names as text (stage 3 of the pipeline, before the graph): fold, transliterate, compare.

A user names a place in English, Azerbaijani, Kazakh or Russian (``Baku``, ``Bakı``,
``Баку``; ``Aktau``, ``Ақтау``, ``Актау``). :func:`normalize` folds case, diacritics and
the letters that Unicode does not decompose (Azerbaijani ``ə ı``, Kazakh
``ә ғ қ ң ө ұ ү һ і``), so ``Ақтау`` matches ``Актау`` and ``Gəncə`` matches ``Gence``.
:func:`skeleton` goes further: a Latin spelling skeleton on which the usual
transliterations of a name meet (``Qostanai`` ~ ``Костанай`` ~ ``Kostanay``), and
:func:`close_skeletons` finds the near spellings among them. The ``SCORE_*`` tiers rank
a match; :mod:`corridor.places` applies all this to the names of a graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Letters NFKD leaves whole, folded after casefold() to the letter a user may type instead.
_FOLD = str.maketrans({
    "ə": "e", "ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u",
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "ё": "е", "й": "и",
})
_NON_WORD = re.compile(r"[\W_]+")

# Cyrillic (Russian, Kazakh) and the Azerbaijani letters NFKD leaves whole, in Latin letters
# (after casefold(); ö, ü and the like lose their marks later).
_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "gh", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh",
})
# Sounds that names are written with in several ways, merged in this order.
_SOUNDS = [(re.compile(pattern), repl) for pattern, repl in (
    (r"shch", "sh"),
    (r"dzh|dj|zh|c(?!h)", "j"),       # Azerbaijani c is j: Gəncə, Culfa
    (r"kh|x", "h"),
    (r"gh|q|g", "k"),
    (r"w", "u"),
    (r"y", "i"),
    (r"e", "a"),
    (r"(\w)\1+", r"\1"),
    (r"(?<=[bdfhjklmnprstvz])i(?=[aou])", ""),  # Gyandzha, Kyurdamir, Guryev
    (r"(?<=\w{4})sk(?:aia|i)?\b", ""),          # Uralsk, Saksaulskaya, not Omsk
    (r"(?<=\w{3})a\b", ""),                    # Ganja ~ Gəncə ~ Gence
)]

# The score of a match, by how the query matches a name (see corridor.places.find_places).
SCORE_EXACT = 1.0
SCORE_VARIANT = 0.95
SCORE_PREFIX = 0.9
SCORE_WORD = 0.8
SCORE_CLOSE = 0.75
MIN_SIMILARITY = 0.65
"""The least similarity of two skeletons (1 minus edits per letter) for a near spelling."""

MAX_QUERY_LENGTH = 200
"""The longest place query (characters) that :func:`corridor.places.find_places` and
:func:`corridor.places.lookup` take."""


def check_query_length(query: str) -> None:
    """Raise ValueError when ``query`` is longer than :data:`MAX_QUERY_LENGTH`."""
    if len(query) > MAX_QUERY_LENGTH:
        msg = (f"the place query is {len(query):,} characters long; the limit is "
               f"{MAX_QUERY_LENGTH}: give a place name, id or code")
        raise ValueError(msg)


def normalize(text: str) -> str:
    """Fold a name for comparison: case, diacritics, punctuation and spacing.

    >>> normalize("Ақтау") == normalize("Актау")
    True
    >>> normalize("Gəncə"), normalize("  Bakı-Port ")
    ('gence', 'baki port')
    """
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD)
    return _NON_WORD.sub(" ", text).strip()


def skeleton(text: str) -> str:
    """A Latin spelling skeleton: the spellings of a name in any of the four scripts and
    its usual transliterations fold to one string.

    Cyrillic and Azerbaijani letters become Latin (``ш ş`` → sh, ``х`` → kh …), then
    sounds written several ways are merged: q/g/k, kh/h, zh/j/dzh/c, y/i, w/u, e/a,
    doubled letters, a soft ``i`` before a vowel, an ending ``-sk``/``-sky``/``-skaya``
    and a final ``-a``/``-e``; spaces go.

    >>> {skeleton(n) for n in ("Kostanay", "Qostanai", "Костанай", "Kostanai")}
    {'kostanai'}
    >>> skeleton("Gəncə") == skeleton("Gandja") == skeleton("Ganja")
    True
    """
    text = unicodedata.normalize("NFKD", str(text).casefold().translate(_LATIN))
    text = _NON_WORD.sub(" ", "".join(c for c in text if not unicodedata.combining(c)))
    for pattern, repl in _SOUNDS:
        text = pattern.sub(repl, text)
    return text.replace(" ", "")


def close_skeletons(query_skeleton: str, skeletons: Sequence[str]) -> list[tuple[str, float]]:
    """The ``skeletons`` at least :data:`MIN_SIMILARITY` similar to ``query_skeleton``, with
    their similarity (1 minus edits per letter, adjacent swaps counting as one edit)."""
    from rapidfuzz import process  # only a near miss needs it (start-up of exact lookups)
    from rapidfuzz.distance import OSA

    close = process.extract(query_skeleton, skeletons, scorer=OSA.normalized_similarity,
                            score_cutoff=MIN_SIMILARITY, limit=None)
    return [(key, similarity) for key, similarity, _ in close]


__all__ = ["MAX_QUERY_LENGTH", "MIN_SIMILARITY", "SCORE_CLOSE", "SCORE_EXACT", "SCORE_PREFIX",
           "SCORE_VARIANT", "SCORE_WORD", "check_query_length", "close_skeletons", "normalize",
           "skeleton"]
