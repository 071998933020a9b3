"""The works of a generated corpus, in index order: who wrote each (the skew of skew.py), what
it is about, and its newer version for the later partition."""

import random
from array import array
from pathlib import Path
from typing import Any

from bzpeer.progress import ProgressBar
from works.generate import skew
from works.generate import vocabulary as v
from works.generate.records import ABSTRACT_POOL, Catalog, People, work_id
from works.generate.snapshot import CsvLines, Part, PartitionWriter
from works.generate.spec import CorpusReport, CorpusSpec

# unit() salts of the decisions taken per work (corpus.py uses 22 and 23).
_DELETED, _UPDATED_WORK, _ABSTRACT_LATER = 20, 21, 24
TICK = 1000  # records between progress bar updates


class WorkMaker:
    """Works in index order, each written once to the base partition (and its newer version
    to the later one); counts per author, source, topic and institution on the way."""

    def __init__(
        self, spec: CorpusSpec, rng: random.Random, catalog: Catalog, people: People
    ) -> None:
        assert spec.authors is not None
        self.spec = spec
        self.rng = rng
        self.catalog = catalog
        self.people = people
        self.author_law = skew.author_law(spec.authors)
        self.teams = skew.big_teams(
            rng, works=spec.works, authors=spec.authors, max_authors=spec.max_authors
        )
        n_consortia = len({team.consortium for team in self.teams.values()} - {None})
        self.consortia = [
            self._alphabetical(c)
            for c in skew.consortia(
                rng, n_consortia, authors=spec.authors, max_authors=spec.max_authors
            )
        ]
        self.sure_deleted = spec.works // 3 if spec.deleted > 0 else -1
        self.author_works = array("l", bytes(8 * spec.authors))
        self.author_cited = array("q", bytes(8 * spec.authors))
        self.institution_counts = [0] * len(catalog.institution_records)
        self.source_counts = [0] * len(catalog.source_records)
        self.topic_counts = [0] * len(catalog.topic_records)
        self.authorships = 0
        self.largest_team = 0
        self._debuted = 0
        self._base_stamp = f"{spec.base_date}T05:04:31.123456"
        self._later_stamp = f"{spec.later_date}T05:04:31.123456"

    def _alphabetical(self, consortium: skew.Consortium) -> list[int]:
        members = range(consortium.start, consortium.start + consortium.size)
        return sorted(members, key=lambda k: self.people.names(k)[::-1])

    def write_all(self, data: Path, report: CorpusReport, bar: ProgressBar) -> list[Part]:
        spec = self.spec
        options = {"part_size": spec.part_size, "level": spec.compresslevel}
        base = PartitionWriter(data, "works", spec.base_date, **options)
        later = PartitionWriter(data, "works", spec.later_date, **options)
        deleted = CsvLines(data / "works" / "deleted_ids.csv", "id", level=spec.compresslevel)
        for index in range(spec.works):
            record, team = self.work(index)
            base.write(record)
            if index == self.sure_deleted or skew.unit(spec.seed, _DELETED, index) < spec.deleted:
                deleted.write(work_id(index))
            else:
                self._count(record, team)
                if skew.unit(spec.seed, _UPDATED_WORK, index) < spec.updated:
                    later.write(self.newer(index, record, team))
            if index % TICK == TICK - 1:
                bar.update(TICK)
        report.deleted_present = deleted.rows
        report.authorships = self.authorships
        report.largest_team = self.largest_team
        # Withdrawn works the snapshot never had (deleted before it was taken).
        for extra in range(max(1, deleted.rows // 4) if deleted.rows else 0):
            deleted.write(work_id(spec.works + extra))
        deleted.close()
        report.deleted_ids = deleted.rows
        bar.update(spec.works % TICK)
        report.records["works"] = {spec.base_date: base.records, spec.later_date: later.records}
        return base.close() + later.close()

    def team(self, index: int) -> list[int]:
        spec = self.spec
        rng = self.rng
        assert spec.authors is not None
        big = self.teams.get(index)
        if big is not None and big.consortium is not None:
            return [k for k in self.consortia[big.consortium] if rng.random() < 0.97]
        # Every author writes at least one work: author k debuts in work k * works / authors.
        debut_end = (index + 1) * spec.authors // spec.works
        team = list(range(self._debuted, debut_end))
        self._debuted = debut_end
        size = max(len(team), big.size if big else skew.small_team_size(rng))
        size = min(size, spec.authors)
        chosen = set(team)
        draw = self.author_law.draw
        tries = 0
        while len(team) < size:
            tries += 1
            # A big team in a small corpus may not find enough new names up the law.
            k = draw(rng.random()) if tries < 4 * size + 20 else rng.randrange(spec.authors)
            if k not in chosen:
                chosen.add(k)
                team.append(k)
        rng.shuffle(team)
        return team

    def work(self, index: int) -> tuple[dict[str, Any], list[int]]:
        rng = self.rng
        catalog = self.catalog
        team = self.team(index)
        last = len(team) - 1
        corresponding = 0 if rng.random() < 0.7 else last
        initials = len(team) <= 20 and rng.random() < 0.25
        authorships = [
            self.people.authorship(
                k,
                "first" if order == 0 else "last" if order == last else "middle",
                order == corresponding,
                initials,
            )
            for order, k in enumerate(team)
        ]
        year = skew.publication_year(rng.random(), 2025)
        has_source = rng.random() < 0.9
        source = catalog.source_law.draw(rng.random())
        primary = catalog.topic_law.draw(rng.random())
        n_topics = len(catalog.topic_records)
        # Secondary topics in the same field (topics are dealt to fields in turn).
        topics = [primary, (primary + 26) % n_topics, (primary + 52) % n_topics]
        topics = list(dict.fromkeys(topics))
        score = 0.9 + rng.random() / 10
        topic_refs = [
            self._topic_ref(t, round(score - 0.2 * order, 4)) for order, t in enumerate(topics)
        ]
        oa_status = v.pick(v.OA_STATUSES, rng.random())
        is_oa = oa_status != "closed"
        identifier = work_id(index)
        doi = (
            f"https://doi.org/10.{5000 + source % 4000}/bzg.{identifier.lower()}"
            if rng.random() < 0.85
            else None
        )
        title = catalog.words.title(rng)
        cited = skew.cited_by(rng.random())
        abstract = catalog.abstracts[rng.randrange(ABSTRACT_POOL)] if rng.random() < 0.75 else None
        record = {
            "id": v.URL + identifier,
            "doi": doi,
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "ids": {"openalex": v.URL + identifier, "doi": doi},
            "language": v.pick(v.LANGUAGES, rng.random()),
            "type": v.pick(v.WORK_TYPES, rng.random()),
            "primary_location": {
                "is_oa": is_oa,
                "landing_page_url": doi,
                "source": catalog.source_refs[source] if has_source else None,
            },
            "open_access": {
                "is_oa": is_oa,
                "oa_status": oa_status,
                "oa_url": doi if is_oa else None,
            },
            "authorships": authorships,
            "authors_count": len(authorships),
            "cited_by_count": cited,
            "primary_topic": topic_refs[0],
            "topics": topic_refs,
            "abstract_inverted_index": abstract,
            "updated_date": self._base_stamp,
            "created_date": f"{max(year, 2016)}-01-01",
        }
        return record, team

    def newer(self, index: int, record: dict[str, Any], team: list[int]) -> dict[str, Any]:
        """The same work a week later: more citations, and what OpenAlex fixed meanwhile (an
        abstract found, an author id that was merged away replaced by the one it leads to)."""
        newer = dict(record)
        newer["updated_date"] = self._later_stamp
        newer["cited_by_count"] = record["cited_by_count"] + 1 + record["cited_by_count"] // 10
        if record["abstract_inverted_index"] is None and (
            skew.unit(self.spec.seed, _ABSTRACT_LATER, index) < 0.3
        ):
            newer["abstract_inverted_index"] = self.catalog.abstracts[index % ABSTRACT_POOL]
        people = self.people
        if any(people.person(k).merged for k in team):
            members = set(team)
            authorships = []
            for k, authorship in zip(team, record["authorships"], strict=True):
                if people.person(k).merged:
                    if k - 1 in members:
                        continue  # the person is listed under their surviving id too
                    authorship = authorship | {"author": people.person(k - 1).ref}
                authorships.append(authorship)
            newer["authorships"] = authorships
            newer["authors_count"] = len(authorships)
        return newer

    def _topic_ref(self, index: int, score: float) -> dict[str, Any]:
        topic = self.catalog.topic_records[index]
        return {
            "id": topic["id"],
            "display_name": topic["display_name"],
            "score": score,
            "subfield": topic["subfield"],
            "field": topic["field"],
            "domain": topic["domain"],
        }

    def _count(self, record: dict[str, Any], team: list[int]) -> None:
        cited = record["cited_by_count"]
        self.authorships += len(team)
        self.largest_team = max(self.largest_team, len(team))
        works, cited_by = self.author_works, self.author_cited
        people = self.people
        for k in team:
            works[k] += 1
            cited_by[k] += cited
            for institution in people.person(k).institution_indices:
                self.institution_counts[institution] += 1
        source = record["primary_location"]["source"]
        if source is not None:
            self.source_counts[int(source["id"][len(v.URL) + 1 :]) - 4_300_000_000] += 1
        for topic in record["topics"]:
            self.topic_counts[int(topic["id"][len(v.URL) + 1 :]) - 10_001] += 1
