"""What an import did (ImportSummary) and how it shows progress while it runs."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from bzpeer.progress import ProgressBar
from works.importer.parse import ENTITY_ORDER, OTHER

MAX_PROBLEMS_KEPT = 1000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    stubs: int = 0  # rows made from a reference, waiting for their own record

    @property
    def records(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped + self.errors

    def __iadd__(self, other: "Counts") -> "Counts":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class ImportSummary:
    """Per entity type: records created, updated, unchanged (same or older updated_date),
    skipped (types we do not import, reserved authors, deleted or merged-away ids) and
    errors (malformed lines); plus what the deleted/merged id lists did."""

    institutions: Counts = field(default_factory=Counts)
    sources: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    authors: Counts = field(default_factory=Counts)
    works: Counts = field(default_factory=Counts)
    other: Counts = field(default_factory=Counts)  # other entity types, unreadable lines
    reserved_authorships: int = 0  # authorships naming A9999999999 / A5317838346, left out
    deleted_works: int = 0  # works removed because they are in deleted_ids.csv
    deleted_ids: int = 0  # ids read from deleted_ids.csv
    merged_ids: int = 0  # rows read from merged_ids/*.csv
    merges_applied: int = 0  # local records folded into the record they were merged into
    skipped_folders: list[str] = field(default_factory=list)
    skipped_partitions: int = 0  # updated_date partitions not newer than --since
    problems: list[str] = field(default_factory=list)  # the first MAX_PROBLEMS_KEPT
    problem_count: int = 0
    elapsed: float = 0.0

    def __getitem__(self, entity: str) -> Counts:
        if entity not in (*ENTITY_ORDER, OTHER):
            raise KeyError(entity)
        return getattr(self, entity)

    def total(self) -> Counts:
        total = Counts()
        for entity in (*ENTITY_ORDER, OTHER):
            total += self[entity]
        return total

    # The totals over all entity types, for callers that only want the headline.
    @property
    def created(self) -> int:
        return self.total().created

    @property
    def updated(self) -> int:
        return self.total().updated

    @property
    def unchanged(self) -> int:
        return self.total().unchanged

    @property
    def skipped(self) -> int:
        return self.total().skipped

    @property
    def errors(self) -> int:
        return self.total().errors

    @property
    def rate(self) -> float:
        return self.total().records / self.elapsed if self.elapsed > 0 else 0.0

    def add_problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(text)

    def __str__(self) -> str:
        columns = ("created", "updated", "unchanged", "skipped", "errors", "stubs")
        lines = [f"{'':<13}" + "".join(f"{name:>11}" for name in columns)]
        rows = [(entity, self[entity]) for entity in (*ENTITY_ORDER, OTHER)]
        for label, counts in [*rows, ("total", self.total())]:
            values = "".join(f"{getattr(counts, name):>11,}" for name in columns)
            lines.append(f"{label:<13}{values}")
        if self.reserved_authorships:
            lines.append(
                f"Authorships naming a reserved author, left out: {self.reserved_authorships:,}"
            )
        if self.deleted_ids or self.merged_ids:
            lines.append(
                f"Deleted ids read: {self.deleted_ids:,} (works removed: {self.deleted_works:,});"
                f" merged ids read: {self.merged_ids:,} (records merged: {self.merges_applied:,})"
            )
        if self.skipped_partitions:
            lines.append(f"Partitions not newer than --since, skipped: {self.skipped_partitions}")
        if self.skipped_folders:
            lines.append(f"Folders not imported: {', '.join(self.skipped_folders)}")
        if self.problem_count:
            lines.append(f"Problems reported: {self.problem_count:,}")
        lines.append(
            f"{self.total().records:,} records in {self.elapsed:.1f} s ({self.rate:,.0f} records/s)"
        )
        return "\n".join(lines)


class Progress(ProgressBar):
    """The import's progress bar. The fraction is by bytes read, the only total known up front;
    the line also shows the records read, their rate and the file being read."""

    BAR_FORMAT = (
        "{percentage:3.0f}%|{bar}| {records:,} records  {records_rate:,.0f} records/s"
        "  [{elapsed}<{remaining}]  {label}"
    )

    def __init__(
        self, stream: TextIO | None, *, total_bytes: int, interval: float | None = None
    ) -> None:
        self.records = 0
        self.done_bytes = 0  # of the files finished
        self.label = ""
        super().__init__(
            stream, total=max(total_bytes, 1), interval=interval, bar_format=self.BAR_FORMAT
        )

    @property
    def format_dict(self) -> dict[str, Any]:
        fields = super().format_dict
        elapsed = fields["elapsed"]
        rate = self.records / elapsed if elapsed else 0.0
        return {**fields, "records": self.records, "records_rate": rate, "label": self.label}

    def advance(self, *, file_position: Callable[[], int], label: str) -> None:
        """One more record read; `file_position()` says how far into the current file (asked
        only when the bar is redrawn)."""
        self.records += 1
        if self.due():
            self.label = label
            self.update_to(min(self.done_bytes + file_position(), self.total))

    def file_done(self, size: int) -> None:
        self.done_bytes += size

    def finish(self, label: str = "done") -> None:
        self.label = label
        self.n = self.total  # close() draws the last line
        self.close()
