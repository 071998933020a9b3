"""OpenAlex-shaped records (the 2025 snapshot shape) for a generated corpus.

The small entities (institutions, sources, topics) and a pool of abstracts are made once, up
front; authors are a pure function of their index (name, ORCID, institutions), so a work can
name any of them without a table of authors in memory.
"""

import functools
import random
from dataclasses import dataclass
from typing import Any

import orjson

from works.generate import vocabulary as v
from works.generate.skew import PowerLaw, unit

# The salts of unit(): one per decision, so that the decisions are independent.
_GIVEN, _FAMILY, _ORCID, _HOME, _SECOND, _MERGED, _DELETED, _UPDATED, _UNAFFILIATED = range(9)
ABSTRACT_POOL = 2048


def work_id(index: int) -> str:
    # Scrambled (3**17 is prime to 10, so this is one-to-one below 10**9) so that ids do not
    # follow the order of the file, as in a real snapshot.
    return f"W{4_000_000_000 + index * 129_140_163 % 1_000_000_000}"


def author_id(index: int) -> str:
    return f"A{5_000_000_000 + index * 387_420_489 % 1_000_000_000}"


def institution_id(index: int) -> str:
    return f"I{4_210_000_000 + index}"


def source_id(index: int) -> str:
    return f"S{4_300_000_000 + index}"


def topic_id(index: int) -> str:
    return f"T{10_001 + index}"


class Catalog:
    """Institutions, sources, topics and abstracts: few enough to hold, shared by the works."""

    def __init__(self, rng: random.Random, *, institutions: int, sources: int, topics: int):
        self.institution_records = [self._institution(i) for i in range(institutions)]
        # What an authorship or an author says about an institution.
        self.institution_refs = [
            {key: record[key] for key in ("id", "display_name", "ror", "country_code", "type")}
            for record in self.institution_records
        ]
        self.topic_records = self._topics(rng, topics)
        self.source_records = [self._source(i, rng) for i in range(sources)]
        self.source_refs = [
            {key: record[key] for key in ("id", "display_name", "issn_l", "issn", "type")}
            for record in self.source_records
        ]
        self.words = Words(rng)
        self.abstracts = [self.words.abstract(rng) for _ in range(ABSTRACT_POOL)]
        self.institution_law = PowerLaw(institutions, max(2.0, institutions / 50))
        self.source_law = PowerLaw(sources, max(2.0, sources / 50))
        self.topic_law = PowerLaw(topics, max(3.0, topics / 20))

    @staticmethod
    def _institution(index: int) -> dict[str, Any]:
        country, homepage, cities = v.COUNTRIES[index % len(v.COUNTRIES)]
        city_list = cities.split()
        round_, rest = divmod(index // len(v.COUNTRIES), len(city_list))
        city = city_list[rest]
        pattern, kind = v.INSTITUTION_KINDS[round_ % len(v.INSTITUTION_KINDS)]
        family = v.FAMILY_NAMES[index % len(v.FAMILY_NAMES)]
        name = pattern.format(city=city, family=family)
        again = round_ // len(v.INSTITUTION_KINDS)
        if again:  # more institutions than names: a campus of its own
            name += f" (Campus {again + 1})"
        host = v.slug(family if "{family}" in pattern else city) + (str(again + 1) if again else "")
        url = f"https://www.{host}labs.com/" if kind == "company" else homepage.format(slug=host)
        return {
            "id": v.URL + institution_id(index),
            "ror": v.ror_of(index * 2_654_435_761 + 12_345),
            "display_name": name,
            "country_code": country,
            "type": kind,
            "homepage_url": url,
            "works_count": 0,
            "cited_by_count": 0,
            "updated_date": None,
            "created_date": "2016-06-24",
        }

    @staticmethod
    def _topics(rng: random.Random, count: int) -> list[dict[str, Any]]:
        records = []
        for index in range(count):
            field_id, field_name, domain_id = v.FIELDS[index % len(v.FIELDS)]
            kind_number = (index // len(v.FIELDS)) % len(v.SUBFIELD_KINDS)
            subfield_id = field_id * 100 + kind_number + 1
            words = [rng.choice(v.COMMON_WORDS[40:]) for _ in range(3)]
            name = f"{words[0].capitalize()} {words[1]} and {words[2]} in {field_name}"
            records.append(
                {
                    "id": v.URL + topic_id(index),
                    "display_name": name,
                    "description": f"This cluster of papers studies {words[0]} {words[1]}.",
                    "keywords": words,
                    "subfield": {
                        "id": f"{v.URL}subfields/{subfield_id}",
                        "display_name": f"{v.SUBFIELD_KINDS[kind_number]} {field_name}",
                    },
                    "field": {"id": f"{v.URL}fields/{field_id}", "display_name": field_name},
                    "domain": {
                        "id": f"{v.URL}domains/{domain_id}",
                        "display_name": v.DOMAINS[domain_id],
                    },
                    "works_count": 0,
                    "cited_by_count": 0,
                    "updated_date": None,
                    "created_date": "2024-01-23",
                }
            )
        return records

    @staticmethod
    def _source(index: int, rng: random.Random) -> dict[str, Any]:
        pattern, kind = v.SOURCE_KINDS[index % len(v.SOURCE_KINDS)]
        _, field_name, _ = v.FIELDS[(index // len(v.SOURCE_KINDS)) % len(v.FIELDS)]
        name = pattern.format(subject=field_name)
        again = index // (len(v.SOURCE_KINDS) * len(v.FIELDS))
        if again:
            name += f" {chr(ord('A') + again % 26)}" + (f"{again // 26}" if again >= 26 else "")
        issn = v.issn_of(rng.randrange(10**7)) if kind in ("journal", "book series") else None
        return {
            "id": v.URL + source_id(index),
            "issn_l": issn,
            "issn": [issn] if issn else None,
            "display_name": name,
            "type": kind,
            "is_oa": kind == "repository",
            "works_count": 0,
            "cited_by_count": 0,
            "updated_date": None,
            "created_date": "2017-08-08",
        }


class Words:
    """Titles and abstracts: common English words at the head of a Zipf law, made-up terms
    of art in its tail."""

    def __init__(self, rng: random.Random) -> None:
        tail = {
            "".join(rng.choice(v.SYLLABLES) for _ in range(rng.randrange(2, 5)))
            for _ in range(4000)
        }
        self.vocabulary = v.COMMON_WORDS + sorted(tail - set(v.COMMON_WORDS))
        self.law = PowerLaw(len(self.vocabulary), 2.0)
        self.title_law = PowerLaw(len(self.vocabulary) - 40, 20.0)  # titles skip "the of and"

    def title(self, rng: random.Random) -> str:
        words = self.vocabulary
        draw = self.title_law.draw
        chosen = [words[40 + draw(rng.random())] for _ in range(rng.randrange(4, 14))]
        chosen[0] = chosen[0].capitalize()
        return " ".join(chosen)

    def abstract(self, rng: random.Random) -> orjson.Fragment:
        """An abstract_inverted_index of 40 to 300 words, serialized once."""
        index: dict[str, list[int]] = {}
        words = self.vocabulary
        for position in range(rng.randrange(40, 300)):
            word = words[self.law.draw(rng.random())]
            if position == 0:
                word = word.capitalize()
            index.setdefault(word, []).append(position)
        return orjson.Fragment(orjson.dumps(index))


@dataclass(frozen=True, slots=True)
class Person:
    """What every work says about one author (shared by all their authorships)."""

    ref: dict[str, Any]  # {"id", "display_name", "orcid"}
    given: str
    family: str
    institutions: list[dict[str, Any]]
    countries: list[str]
    affiliations: list[dict[str, Any]]
    raw_affiliations: list[str]
    institution_indices: tuple[int, ...]
    merged: bool  # a duplicate record, merged into author k - 1


class People:
    """Authors as a function of their index. Author k is merged into k - 1 (the same person
    under a second id) when k is one of the merged; the two share a name."""

    def __init__(self, *, seed: int, authors: int, merged: float, catalog: Catalog) -> None:
        self.seed = seed
        self.count = authors
        self.merged_share = merged
        self.catalog = catalog
        self.family_law = PowerLaw(len(v.FAMILY_NAMES), 8.0)  # Wang, Li, Smith: homonyms
        # At least one merge in any corpus with merges asked for, whatever the dice say.
        self.sure_merge = (authors // 2) | 1 if merged > 0 and authors >= 4 else -1
        self.person = functools.lru_cache(maxsize=32_768)(self._person)

    def is_merged(self, k: int) -> bool:
        if k % 2 == 0 or k >= self.count:
            return False
        return k == self.sure_merge or unit(self.seed, _MERGED, k) < 2 * self.merged_share

    def names(self, k: int) -> tuple[str, str]:
        if self.is_merged(k):
            k -= 1
        given = v.GIVEN_NAMES[int(unit(self.seed, _GIVEN, k) * len(v.GIVEN_NAMES))]
        family = v.FAMILY_NAMES[self.family_law.draw(unit(self.seed, _FAMILY, k))]
        return given, family

    def orcid(self, k: int) -> str | None:
        # The duplicate record of a person (merged away later) is the one without the ORCID.
        if self.is_merged(k) or unit(self.seed, _ORCID, k) >= 0.45:
            return None
        return "https://orcid.org/" + v.orcid_of(15_000_000 + k)

    def homes(self, k: int) -> list[int]:
        """The institutions an author is at, as indexes of the catalog's."""
        if self.is_merged(k):
            k -= 1
        law = self.catalog.institution_law
        first = law.draw(unit(self.seed, _HOME, k))
        second_u = unit(self.seed, _SECOND, k)
        if second_u < 0.15:
            second = law.draw(second_u / 0.15)
            if second != first:
                return [first, second]
        return [first]

    def _person(self, k: int) -> Person:
        given, family = self.names(k)
        name = f"{given} {family}"
        indices = self.homes(k)
        if unit(self.seed, _UNAFFILIATED, k) < 0.2:
            indices = []  # many authorships in OpenAlex have no institution at all
        homes = [self.catalog.institution_refs[index] for index in indices]
        raws = [f"{home['display_name']}, {home['country_code']}" for home in homes]
        return Person(
            ref={"id": v.URL + author_id(k), "display_name": name, "orcid": self.orcid(k)},
            given=given,
            family=family,
            institutions=homes,
            countries=sorted({home["country_code"] for home in homes}),
            affiliations=[
                {"raw_affiliation_string": raw, "institution_ids": [home["id"]]}
                for raw, home in zip(raws, homes, strict=True)
            ],
            raw_affiliations=raws,
            institution_indices=tuple(indices),
            merged=self.is_merged(k),
        )

    def authorship(self, k: int, position: str, corresponding: bool, initials: bool) -> dict:
        person = self.person(k)
        raw_name = (
            v.initials_form(person.given, person.family) if initials else person.ref["display_name"]
        )
        return {
            "author_position": position,
            "author": person.ref,
            "institutions": person.institutions,
            "countries": person.countries,
            "is_corresponding": corresponding,
            "raw_author_name": raw_name,
            "raw_affiliation_strings": person.raw_affiliations,
            "affiliations": person.affiliations,
        }

    def record(self, k: int, *, works: int, cited: int, updated: str, later: bool) -> dict:
        given, family = self.names(k)
        homes = [self.catalog.institution_refs[index] for index in self.homes(k)]
        alternatives = [v.initials_form(given, family), f"{family}, {given}"]
        if later:  # the newer version has learnt another spelling
            alternatives.append(f"{given[0]}. {family.upper()}")
        h_index = min(works, int(cited**0.5))
        return {
            "id": v.URL + author_id(k),
            "orcid": self.orcid(k),
            "display_name": f"{given} {family}",
            "display_name_alternatives": alternatives,
            "works_count": works,
            "cited_by_count": cited,
            "summary_stats": {
                "2yr_mean_citedness": round(cited / works / 4, 3) if works else 0.0,
                "h_index": h_index,
                "i10_index": min(works, cited // 10),
            },
            "affiliations": [{"institution": home, "years": [2025, 2024, 2023]} for home in homes],
            "last_known_institutions": homes,
            "updated_date": updated,
            "created_date": "2023-07-21",
        }
