"""Writing the official snapshot layout: data/<entity>/updated_date=YYYY-MM-DD/part_NNN.gz
(JSON Lines, gzipped), a manifest per entity, works/deleted_ids.csv and
merged_ids/<entity>/<date>.csv.gz. Every gzip member has mtime 0 and no file name, so the
same records give the same bytes."""

import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

_DUMPS_OPTIONS = orjson.OPT_APPEND_NEWLINE
# Lines are handed to gzip in chunks: one compress() call per chunk, not per line.
_CHUNK_LINES = 256


@dataclass(slots=True)
class Part:
    url: str  # as the manifest gives it: s3://openalex/data/<entity>/updated_date=.../part_000.gz
    records: int
    size: int


def gzip_writer(path: Path, level: int) -> gzip.GzipFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = path.open("wb")
    # filename="" keeps the name out of the header, mtime=0 the clock.
    return gzip.GzipFile(filename="", mode="wb", compresslevel=level, fileobj=raw, mtime=0)


def close_gzip(writer: gzip.GzipFile) -> None:
    raw = writer.fileobj
    writer.close()  # GzipFile does not close a file object it was given
    if raw is not None:
        raw.close()


class PartitionWriter:
    """The records of one entity with one updated_date, in parts of at most `part_size`."""

    def __init__(
        self, data: Path, entity: str, updated: str, *, part_size: int, level: int
    ) -> None:
        self.folder = data / entity / f"updated_date={updated}"
        self.entity = entity
        self.updated = updated
        self.part_size = part_size
        self.level = level
        self.parts: list[Part] = []
        self.records = 0
        self._writer: gzip.GzipFile | None = None
        self._in_part = 0
        self._pending: list[bytes] = []

    def write(self, record: dict[str, Any]) -> None:
        self._pending.append(orjson.dumps(record, option=_DUMPS_OPTIONS))
        self._in_part += 1
        self.records += 1
        if self._in_part >= self.part_size:
            self._end_part()
        elif len(self._pending) >= _CHUNK_LINES:
            self._flush()

    def close(self) -> list[Part]:
        if self._in_part:
            self._end_part()
        return self.parts

    def _flush(self) -> None:
        if self._writer is None:
            name = f"part_{len(self.parts):03d}.gz"
            self._writer = gzip_writer(self.folder / name, self.level)
        self._writer.write(b"".join(self._pending))
        self._pending.clear()

    def _end_part(self) -> None:
        self._flush()
        assert self._writer is not None
        path = Path(self._writer.fileobj.name)  # type: ignore[union-attr]
        close_gzip(self._writer)
        self._writer = None
        url = f"s3://openalex/data/{self.entity}/updated_date={self.updated}/{path.name}"
        self.parts.append(Part(url, self._in_part, path.stat().st_size))
        self._in_part = 0


def write_manifest(data: Path, entity: str, parts: list[Part]) -> None:
    """The Redshift-style manifest OpenAlex publishes beside each entity's partitions."""
    parts = sorted(parts, key=lambda part: part.url)
    entries = ",\n".join(
        f'    {{"url": "{part.url}", "meta": {{ "content_length": {part.size}, '
        f'"record_count": {part.records} }} }}'
        for part in parts
    )
    size = sum(part.size for part in parts)
    records = sum(part.records for part in parts)
    text = (
        f'{{\n  "entries": [\n{entries}\n  ],\n  "meta": {{\n    "content_length": {size},\n'
        f'    "record_count": {records}\n  }}\n}}\n'
    )
    (data / entity / "manifest").write_text(text)


class CsvLines:
    """A CSV of short ids, written as it goes, plain or gzipped (by the name)."""

    def __init__(self, path: Path, header: str, *, level: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._gzip = gzip_writer(path, level) if path.name.endswith(".gz") else None
        self._out: Any = (
            io.TextIOWrapper(self._gzip, encoding="utf-8", newline="")
            if self._gzip
            else path.open("w", encoding="utf-8", newline="")
        )
        self._out.write(header + "\n")

    def write(self, *cells: str) -> None:
        self._out.write(",".join(cells) + "\n")
        self.rows += 1

    def close(self) -> None:
        self._out.flush()
        if self._gzip is not None:
            self._out.detach()
            close_gzip(self._gzip)
        else:
            self._out.close()
