"""generate_corpus: a synthetic OpenAlex snapshot with the skew of the real one, streamed to
disk, the same bytes for the same spec.

Two updated_date partitions per entity: the snapshot as of `base_date`, and `later_date`
holding a newer version of a share of the records (`updated`). Some works of the base are
withdrawn (listed in works/deleted_ids.csv, with a few ids never seen), and some authors are
a second record of another author that works still name (listed in merged_ids/authors/).
"""

import math
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from bzpeer.progress import ProgressBar
from works.generate import skew
from works.generate.records import Catalog, People, author_id
from works.generate.snapshot import CsvLines, Part, PartitionWriter, write_manifest
from works.generate.spec import CorpusReport, CorpusSpec
from works.generate.works import TICK, WorkMaker

# unit() salts of the decisions taken per record (records.py uses 0-8, works.py 20, 21, 24).
_UPDATED_AUTHOR, _UPDATED_OTHER = 22, 23


def generate_corpus(
    out: Path, spec: CorpusSpec, *, progress: TextIO | Any | None = None
) -> CorpusReport:
    """Write the corpus under `out` (out/data/..., and out/generated.json describing it)."""
    started = time.monotonic()
    spec = spec.resolved()
    assert spec.authors is not None and spec.institutions and spec.sources and spec.topics
    report = CorpusReport(spec=asdict(spec))
    rng = random.Random(spec.seed)
    catalog = Catalog(rng, institutions=spec.institutions, sources=spec.sources, topics=spec.topics)
    people = People(seed=spec.seed, authors=spec.authors, merged=spec.merged, catalog=catalog)
    total = spec.works + spec.authors + spec.institutions + spec.sources + spec.topics
    bar = ProgressBar(progress, total=total, unit=" records", unit_scale=True)
    data = out / "data"
    maker = WorkMaker(spec, rng, catalog, people)
    parts: dict[str, list[Part]] = {}
    parts["works"] = maker.write_all(data, report, bar)
    parts["authors"] = _write_authors(data, spec, people, maker, report, bar)
    for entity, records, counts in (
        ("institutions", catalog.institution_records, maker.institution_counts),
        ("sources", catalog.source_records, maker.source_counts),
        ("topics", catalog.topic_records, maker.topic_counts),
    ):
        parts[entity] = _write_small(data, entity, records, counts, spec, report, bar)
    for entity, entity_parts in parts.items():
        write_manifest(data, entity, entity_parts)
    bar.close()
    (out / "generated.json").write_text(report.as_json())
    report.elapsed = time.monotonic() - started
    return report


def _write_authors(
    data: Path,
    spec: CorpusSpec,
    people: People,
    maker: WorkMaker,
    report: CorpusReport,
    bar: ProgressBar,
) -> list[Part]:
    assert spec.authors is not None
    options = {"part_size": spec.part_size, "level": spec.compresslevel}
    base = PartitionWriter(data, "authors", spec.base_date, **options)
    later = PartitionWriter(data, "authors", spec.later_date, **options)
    merged = CsvLines(
        data / "merged_ids" / "authors" / f"{spec.later_date}.csv.gz",
        "merge_date,id,merge_into_id",
        level=spec.compresslevel,
    )
    works, cited = maker.author_works, maker.author_cited
    base_stamp = f"{spec.base_date}T05:04:31.123456"
    later_stamp = f"{spec.later_date}T05:04:31.123456"
    for k in range(spec.authors):
        if people.is_merged(k):
            # No record of its own any more: only works that still name it, and this row.
            merged.write(spec.later_date, author_id(k), author_id(k - 1))
        else:
            n_works, n_cited = works[k], cited[k]
            if people.is_merged(k + 1):  # the works of the duplicate are this person's
                n_works, n_cited = n_works + works[k + 1], n_cited + cited[k + 1]
            base.write(
                people.record(k, works=n_works, cited=n_cited, updated=base_stamp, later=False)
            )
            if skew.unit(spec.seed, _UPDATED_AUTHOR, k) < spec.updated:
                later.write(
                    people.record(
                        k,
                        works=n_works + 1,
                        cited=n_cited + 1 + n_cited // 10,
                        updated=later_stamp,
                        later=True,
                    )
                )
        if k % TICK == TICK - 1:
            bar.update(TICK)
    bar.update(spec.authors % TICK)
    merged.close()
    report.merged_ids = merged.rows
    report.records["authors"] = {spec.base_date: base.records, spec.later_date: later.records}
    return base.close() + later.close()


def _write_small(
    data: Path,
    entity: str,
    records: list[dict[str, Any]],
    counts: list[int],
    spec: CorpusSpec,
    report: CorpusReport,
    bar: ProgressBar,
) -> list[Part]:
    options = {"part_size": spec.part_size, "level": spec.compresslevel}
    base = PartitionWriter(data, entity, spec.base_date, **options)
    later = PartitionWriter(data, entity, spec.later_date, **options)
    for index, (record, works) in enumerate(zip(records, counts, strict=True)):
        cited = works * 7  # a plausible figure; the importer does not read it
        stamp = f"{spec.base_date}T05:04:31.123456"
        base.write(record | {"works_count": works, "cited_by_count": cited, "updated_date": stamp})
        if skew.unit(spec.seed, _UPDATED_OTHER, index) < spec.updated:
            stamp = f"{spec.later_date}T05:04:31.123456"
            later.write(
                record
                | {
                    "works_count": works + 1,
                    "cited_by_count": math.ceil(cited * 1.1),
                    "updated_date": stamp,
                }
            )
    bar.update(len(records))
    report.records[entity] = {spec.base_date: base.records, spec.later_date: later.records}
    return base.close() + later.close()
