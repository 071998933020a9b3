"""How author names are folded for search: one definition for the importer that stores
Author.search_name and the search that queries it."""

import unicodedata

# Author.search_name is the folded display name and alternatives joined by this.
SEARCH_NAME_SEPARATOR = " | "


def name_fold(text: str) -> str:
    """Lower-case, accents stripped (NFKD), whitespace collapsed: "José  Müller" and
    "jose muller" fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def search_name_build(display_name: str, alternatives: list[str]) -> str:
    folded = dict.fromkeys(name_fold(name) for name in [display_name, *alternatives] if name)
    return SEARCH_NAME_SEPARATOR.join(name for name in folded if name)
