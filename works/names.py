"""How author names are folded for search: one definition for the importer that stores
Author.search_name and the search that queries it."""

import re
import unicodedata

from django.db.models import Func, TextField

# Author.search_name is the folded display name and alternatives joined by this.
SEARCH_NAME_SEPARATOR = " | "

# A search query is at most this many words of at most this many characters: no name needs
# more, and each word becomes a condition of the query.
QUERY_WORDS_MAX = 6
QUERY_WORD_CHARS_MAX = 64


# Letters NFKD leaves whole (no combining mark to strip), spelled as a reader without them
# types them, as PostgreSQL's unaccent does for topics and institutions: "Łukasz Kłos" is
# found by "lukasz klos", "Søren" by "soren", "Weiß" by "weiss".
_LETTERS_APART = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss", "þ": "th",
        "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "ŀ": "l", "Ŀ": "l",
    }
)  # fmt: skip


def name_fold(text: str) -> str:
    """Lower-case, accents stripped (NFKD), letters such as ł, ø and ß spelled out, whitespace
    collapsed: "José  Müller" and "jose muller" fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_LETTERS_APART)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def search_name_build(display_name: str, alternatives: list[str]) -> str:
    folded = dict.fromkeys(name_fold(name) for name in [display_name, *alternatives] if name)
    return SEARCH_NAME_SEPARATOR.join(name for name in folded if name)


def query_words(text: str) -> list[str]:
    """The folded query's words (runs of letters and digits), each once: "M. Wörtsman-Smith"
    gives ["m", "wortsman", "smith"], so punctuation and word order do not matter."""
    words = (word[:QUERY_WORD_CHARS_MAX] for word in re.findall(r"\w+", name_fold(text)))
    return list(dict.fromkeys(words))[:QUERY_WORDS_MAX]


class Folded(Func):
    """name_fold in SQL for names not stored folded (Topic, Institution): bzpeer_fold(),
    lower-case and unaccent()ed, whose trigram indexes (migration 0012) serve a match on it.
    PostgreSQL only."""

    function = "bzpeer_fold"
    output_field = TextField()
