"""Finding the files to import and reading records out of them, one at a time.

Three kinds of input:
- a file: JSON Lines (plain or gzipped, a snapshot part), an API response with a top-level
  "results" list, or a single entity (both pretty-printed JSON, read whole);
- an OpenAlex snapshot folder: data/<entity>/updated_date=YYYY-MM-DD/part_NNN.gz, optionally
  under the newer data/jsonl/ level, with manifests, works/deleted_ids.csv and merged_ids/;
- any other folder: every JSON(L) file in it, institutions first and works last.
"""

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson

from works.importer.parse import ENTITY_BY_LETTER, ENTITY_ORDER

_GZIP_MAGIC = b"\x1f\x8b"
# orjson reads an integer beyond 64 bits as a float, where json keeps it whole (and columns.py
# names it, out of range, as written): a line with a run of 20 digits goes to json. Found by
# turning every digit into 0 and looking for twenty 0s, ten times faster than a regex.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_TWENTY_DIGITS = b"0" * 20
_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".gz")
_SINGLE_ENTITY_FILE = re.compile(r"([A-Z])[0-9]+\.json", re.IGNORECASE)
# merged_ids/venues/ is what sources were called before 2023.
_MERGED_ENTITIES = {name: name for name in ENTITY_ORDER} | {"venues": "sources"}


class FileUnreadable(Exception):
    """A file that cannot be read at all (truncated or corrupt gzip, unreadable bytes)."""


@dataclass(slots=True)
class BadLine:
    reason: str


@dataclass(slots=True)
class PlannedFile:
    path: Path
    expected_records: int | None = None  # what the manifest says, when it lists this part


@dataclass
class Plan:
    """What importing one PATH argument means: record files in load order, then the CSVs."""

    files: list[PlannedFile] = field(default_factory=list)
    deleted_ids: list[Path] = field(default_factory=list)
    merged_ids: list[tuple[str, Path]] = field(default_factory=list)  # (entity, csv)
    warnings: list[str] = field(default_factory=list)
    skipped_folders: list[str] = field(default_factory=list)
    skipped_partitions: int = 0


def plan_path(path: Path, *, since: date | None = None) -> Plan:
    if path.is_file():
        return Plan(files=[PlannedFile(path)])
    plan = Plan()
    root = _snapshot_root(path)
    if root is not None:
        _plan_snapshot(root, since, plan)
    elif any(path.glob("updated_date=*")):  # one entity folder of a snapshot
        _plan_entity_dir(path, path.name, since, plan, combined_manifest={})
    else:
        _plan_flat_folder(path, plan)
    return plan


def _snapshot_root(path: Path) -> Path | None:
    for candidate in (path / "data" / "jsonl", path / "data", path / "jsonl", path):
        if candidate.is_dir() and (
            (candidate / "merged_ids").is_dir()
            or any(
                child.is_dir() and any(child.glob("updated_date=*")) for child in _dirs(candidate)
            )
        ):
            return candidate
    return None


def _plan_snapshot(root: Path, since: date | None, plan: Plan) -> None:
    combined = (
        _read_manifest(root / "manifest.json", plan) if (root / "manifest.json").exists() else {}
    )
    # Entity types we do not import (concepts, funders, ...) are not even read.
    plan.skipped_folders += [
        child.name
        for child in _dirs(root)
        if child.name not in ENTITY_ORDER and any(child.glob("updated_date=*"))
    ]
    for entity in ENTITY_ORDER:
        if (root / entity).is_dir():
            _plan_entity_dir(root / entity, entity, since, plan, combined_manifest=combined)
    works = root / "works"
    plan.deleted_ids = sorted(works.glob("deleted_ids*.csv*")) if works.is_dir() else []
    # The newer layout keeps merged_ids/ beside jsonl/, the older one beside the entities.
    for base in (root, root.parent) if root.name == "jsonl" else (root,):
        for folder in _dirs(base / "merged_ids") if (base / "merged_ids").is_dir() else []:
            entity = _MERGED_ENTITIES.get(folder.name)
            if entity is None:
                plan.skipped_folders.append(f"merged_ids/{folder.name}")
                continue
            for csv_path in sorted(folder.glob("*.csv*")):
                # Files are named by date: with --since only the newer ones are read.
                if since is None or _newer(csv_path.name, since):
                    plan.merged_ids.append((entity, csv_path))


def _plan_entity_dir(
    folder: Path,
    entity: str,
    since: date | None,
    plan: Plan,
    *,
    combined_manifest: dict[tuple[str, str, str], int],
) -> None:
    manifest: dict[tuple[str, str, str], int] = {
        key: count for key, count in combined_manifest.items() if key[0] == entity
    }
    has_manifest = bool(manifest)
    for name in ("manifest", "manifest.json"):
        if (folder / name).is_file():
            has_manifest = True
            manifest.update(
                ((entity, partition, part), count)
                for (_, partition, part), count in _read_manifest(folder / name, plan).items()
            )
    if since is not None:
        manifest = {key: count for key, count in manifest.items() if _newer(key[1], since)}
    local: set[tuple[str, str, str]] = set()
    for partition in sorted(folder.glob("updated_date=*")):
        if since is not None and not _newer(partition.name, since):
            plan.skipped_partitions += 1
            continue
        for part in sorted(partition.iterdir()):
            if part.is_file() and part.name.endswith((".gz", ".jsonl")):
                key = (entity, partition.name, part.name)
                local.add(key)
                plan.files.append(PlannedFile(part, expected_records=manifest.get(key)))
    if not has_manifest:
        return
    missing = sorted(set(manifest) - local)
    if missing:
        first = "/".join(missing[0][1:])
        plan.warnings.append(
            f"{folder}: the manifest lists {len(missing)} part(s) that are not here "
            f"(first: {first}); importing the parts that are"
        )
    unlisted = sorted(local - set(manifest))
    if unlisted:
        first = "/".join(unlisted[0][1:])
        plan.warnings.append(
            f"{folder}: {len(unlisted)} part(s) are not in the manifest (first: {first}); "
            "importing them anyway"
        )


def _read_manifest(path: Path, plan: Plan) -> dict[tuple[str, str, str], int]:
    """A Redshift-style manifest as {(entity, "updated_date=...", "part_000.gz"): records}."""
    try:
        entries = json.loads(path.read_bytes())["entries"]
        listed = {}
        for entry in entries:
            segments = entry["url"].rstrip("/").split("/")
            listed[tuple(segments[-3:])] = int(entry.get("meta", {}).get("record_count"))
        return listed
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        plan.warnings.append(f"{path}: not a manifest we can read ({exc}); ignoring it")
        return {}


def _plan_flat_folder(folder: Path, plan: Plan) -> None:
    files = [
        path
        for path in folder.rglob("*")
        if path.is_file() and path.name.lower().endswith(_RECORD_SUFFIXES)
    ]
    files.sort(key=lambda path: (_entity_rank(path.relative_to(folder)), str(path)))
    plan.files.extend(PlannedFile(path) for path in files)


def _entity_rank(relative: Path) -> int:
    """Load order for a file in a plain folder, guessed from its name or its folders'; the
    records carry their own type anyway, so a wrong guess only costs stub rows."""
    for part in reversed(relative.parts):
        name = part.lower()
        if match := _SINGLE_ENTITY_FILE.fullmatch(part):
            letter = match.group(1).upper()
            if letter in ENTITY_BY_LETTER:
                return ENTITY_ORDER.index(ENTITY_BY_LETTER[letter])
            return len(ENTITY_ORDER)
        for rank, entity in enumerate(ENTITY_ORDER):
            # The type as a word of its own: "works.jsonl", "openalex_work_1.json", "works/".
            if re.search(rf"(?<![a-z]){entity[:-1]}s?(?![a-z])", name):
                return rank
    return len(ENTITY_ORDER)


def _newer(partition: str, since: date) -> bool:
    # A partition whose date cannot be read is imported: better twice than never.
    return (_date_in(partition) or date.max) > since


def _date_in(name: str) -> date | None:
    match = re.search(r"\d{4}-\d{2}-\d{2}", name)
    try:
        return date.fromisoformat(match.group()) if match else None
    except ValueError:
        return None


def _dirs(folder: Path) -> list[Path]:
    return sorted(child for child in folder.iterdir() if child.is_dir())


class RecordFile:
    """Iterating gives (location, record or BadLine). JSON Lines are streamed line by line;
    a pretty-printed JSON file (API response, single entity) is read whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.lines_read = 0
        self._raw: IO[bytes] | None = None

    def position(self) -> int:
        """How far into the file (in bytes on disk) reading has got."""
        try:
            return self._raw.tell() if self._raw and not self._raw.closed else self.size
        except (OSError, ValueError):
            return self.size

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        try:
            with self.path.open("rb") as raw:
                self._raw = raw
                is_gzip = raw.read(2) == _GZIP_MAGIC
                raw.seek(0)
                stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if is_gzip else raw
                yield from self._records(stream)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            reason = str(exc) or type(exc).__name__
            raise FileUnreadable(
                f"{self.path}: truncated or corrupt gzip file after {self.lines_read} "
                f"line(s) ({reason})"
            ) from exc

    def _records(self, stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
        first = b""
        for first in stream:
            self.lines_read += 1
            if first.strip():
                break
        else:
            return  # empty file
        whole_file = first.strip() in (b"{", b"[") or self.path.name.lower().endswith(
            (".json", ".json.gz")
        )
        if whole_file:
            document = _decode(first + stream.read())
            if isinstance(document, BadLine) and "Extra data" not in document.reason:
                yield str(self.path), document
                return
            if not isinstance(document, BadLine):
                yield from _expand(str(self.path), document)
                return
            # A .json file holding JSON Lines after all: read it line by line.
            stream.seek(0)
            self.lines_read = 0
            yield from self._lines(stream)
            return
        yield from _expand(f"{self.path}:{self.lines_read}", _decode(first))
        yield from self._lines(stream)

    def _lines(self, stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
        for line in stream:
            self.lines_read += 1
            if line.strip():
                yield from _expand(f"{self.path}:{self.lines_read}", _decode(line))


def _decode(data: bytes) -> Any:
    # orjson first: several times faster than json, and the same values. What it refuses
    # (bad JSON, and also what json reads: NaN, lone surrogates, a UTF-8 BOM, nesting deeper
    # than its 1024 levels) is read again by json, so the messages and what is accepted stay
    # json's.
    if _TWENTY_DIGITS not in data.translate(_DIGITS_AS_ZERO):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        return BadLine(f"not UTF-8 ({exc.reason})")
    except json.JSONDecodeError as exc:
        return BadLine(f"bad JSON ({exc.msg}, column {exc.colno})")
    except ValueError as exc:
        # Not JSONDecodeError: an integer longer than Python reads (sys.get_int_max_str_digits).
        return BadLine(f"bad JSON ({exc})")
    except RecursionError:
        # json's decoder recurses once per level: a line nested thousands deep is refused
        # here rather than ending the import in a traceback.
        return BadLine("nested too deeply to read")


def _expand(location: str, value: Any) -> Iterator[tuple[str, Any]]:
    """An API list response stands for its results; anything else for itself."""
    if isinstance(value, dict) and "id" not in value and isinstance(value.get("results"), list):
        for index, item in enumerate(value["results"]):
            yield f"{location}:results[{index}]", item
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield f"{location}[{index}]", item
    else:
        yield location, value


def read_csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a plain or gzipped CSV, streamed."""
    try:
        with path.open("rb") as raw:
            is_gzip = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            binary: IO[bytes] = gzip.GzipFile(fileobj=raw) if is_gzip else raw
            text = io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")
            reader = csv.reader(text)
            for cells in reader:
                yield reader.line_num, cells
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise FileUnreadable(f"{path}: truncated or corrupt gzip file ({exc})") from exc
