"""The imported scholarly corpus: OpenAlex entities and the links between them.

Every entity keeps its short OpenAlex id ("A5023888391", "W2741809807", ...) as the public key
in URLs, and the `updated_date` OpenAlex gave it, which decides whether a re-import replaces it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from works.orcid import validate_orcid

# OpenAlex's reserved author ids: never researcher pages.
NO_AUTHOR_ID = "A9999999999"
DELETED_AUTHOR_ID = "A5317838346"
RESERVED_AUTHOR_IDS = frozenset({NO_AUTHOR_ID, DELETED_AUTHOR_ID})

# A work with a longer byline makes none of its authors co-authors of each other (CoAuthorship):
# a 3,000-name consortium paper says nothing about who works with whom, and its pairs (9
# million rows for one work) would outweigh every other work's. Bibliometric studies of
# collaboration draw the same line at "hyperauthorship". Changing it needs every pair
# recomputed (coauthorship_refresh_for_authors of every author).
COAUTHOR_BYLINE_LIMIT = 100


class Institution(models.Model):
    openalex_id = models.CharField(max_length=32, unique=True)
    ror = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=500)
    country_code = models.CharField(max_length=2, blank=True)
    type = models.CharField(max_length=50, blank=True)
    homepage_url = models.URLField(max_length=500, blank=True)
    updated_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("works:institution", args=[self.openalex_id])


class Source(models.Model):
    openalex_id = models.CharField(max_length=32, unique=True)
    display_name = models.CharField(max_length=500)
    type = models.CharField(max_length=50, blank=True)
    issn_l = models.CharField(max_length=9, blank=True)
    updated_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name


class Topic(models.Model):
    openalex_id = models.CharField(max_length=32, unique=True)
    display_name = models.CharField(max_length=500)
    subfield = models.CharField(max_length=255, blank=True)
    field = models.CharField(max_length=255, blank=True)
    domain = models.CharField(max_length=255, blank=True)
    updated_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("works:topic", args=[self.openalex_id])


class AuthorQuerySet(models.QuerySet):
    def public(self) -> "AuthorQuerySet":
        """Authors that may have a researcher page (not OpenAlex's reserved placeholders)."""
        return self.exclude(openalex_id__in=RESERVED_AUTHOR_IDS)


class Author(models.Model):
    openalex_id = models.CharField(max_length=32, unique=True)
    orcid = models.CharField(  # "0000-0002-1825-0097"
        max_length=19, blank=True, db_index=True, validators=[validate_orcid]
    )
    display_name = models.CharField(max_length=500)
    display_name_alternatives = models.JSONField(default=list, blank=True)
    # Lower-cased, accent-stripped name (and alternatives) for case/accent-insensitive search.
    search_name = models.TextField(blank=True)
    last_known_institutions = models.ManyToManyField(
        Institution, blank=True, related_name="last_known_authors"
    )
    works_count = models.PositiveIntegerField(default=0)  # as OpenAlex counts them
    # Works of theirs in our index, kept by the importer (author_stats_refresh) so search,
    # browse and the home page order by an indexed column instead of counting per row.
    works_in_db = models.PositiveIntegerField(default=0)
    cited_by_count = models.PositiveIntegerField(default=0)
    summary_stats = models.JSONField(default=dict, blank=True)  # h_index, i10_index, ...
    # Null while the record only exists because a work named it (no author line imported yet).
    updated_date = models.DateField(null=True, blank=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        # On PostgreSQL, search_name also has a trigram GIN index (migration 0002).
        indexes = [
            models.Index(
                F("works_in_db").desc(), "display_name", name="works_author_most_works_idx"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", args=[self.openalex_id])


class Work(models.Model):
    openalex_id = models.CharField(max_length=32, unique=True)
    doi = models.CharField(max_length=255, blank=True, db_index=True)  # bare "10.x/y", lower-case
    title = models.TextField(blank=True)
    abstract = models.TextField(blank=True)  # rebuilt from abstract_inverted_index
    type = models.CharField(max_length=50, blank=True)
    publication_year = models.PositiveSmallIntegerField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    primary_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="works"
    )
    is_oa = models.BooleanField(default=False)
    oa_status = models.CharField(max_length=20, blank=True)
    cited_by_count = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    updated_date = models.DateField(null=True, blank=True)
    # Places on OpenAlex's byline, attributed or not (0: not known); see COAUTHOR_BYLINE_LIMIT.
    byline_size = models.PositiveIntegerField(default=0)
    authors = models.ManyToManyField(Author, through="Authorship", related_name="works")
    topics = models.ManyToManyField(Topic, through="WorkTopic", related_name="works")

    class Meta:
        indexes = [
            models.Index(
                fields=["-publication_year", "-publication_date"], name="works_work_newest_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.openalex_id

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.openalex_id])

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class Authorship(models.Model):
    """One place of a work's printed author list, and the author record OpenAlex attributes
    it to. A record may hold several places of one byline (OpenAlex's disambiguation folded
    two printed names into it): each keeps what was printed there, and every count of works
    or shared works counts the work once."""

    class Position(models.TextChoices):
        FIRST = "first"
        MIDDLE = "middle"
        LAST = "last"

    # No single-column indexes: authorship_unique_order leads with work, the two author
    # indexes with author, and every index is written on each of millions of inserts.
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    order = models.PositiveSmallIntegerField()  # 0-based place in the published author list
    position = models.CharField(max_length=6, choices=Position, blank=True)
    raw_author_name = models.CharField(max_length=500, blank=True)  # as printed at this place
    is_corresponding = models.BooleanField(default=False)
    institutions = models.ManyToManyField(Institution, blank=True, related_name="authorships")
    # When this work was first attached to this author in our index (the followers' feed):
    # a default, not auto_now_add, so the importer can carry it over when it rewrites a
    # replaced work's authorships (every place of one author on a work gets the same).
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["work", "order"]
        # A work and a place: (work, author) is not unique (see the class docstring).
        constraints = [
            models.UniqueConstraint(fields=["work", "order"], name="authorship_unique_order"),
        ]
        # (author, work) serves "works of this author"; (work, order) the author list.
        indexes = [
            models.Index(fields=["author", "work"], name="authorship_author_work_idx"),
            models.Index(fields=["author", "created_at"], name="authorship_author_added_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.work_id} (#{self.order + 1})"


class WorkTopic(models.Model):
    # Covered by worktopic_unique (work first) and worktopic_topic_work_idx (topic first).
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="work_topics", db_index=False
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="work_topics", db_index=False
    )
    score = models.FloatField(null=True, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "topic"], name="worktopic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "work"], name="worktopic_topic_work_idx")]

    def __str__(self) -> str:
        return f"{self.topic_id} on {self.work_id}"


class CoAuthorshipQuerySet(models.QuerySet):
    def public(self) -> "CoAuthorshipQuerySet":
        """Rows whose co-author may be shown (not one of OpenAlex's reserved placeholders)."""
        return self.exclude(coauthor__openalex_id__in=RESERVED_AUTHOR_IDS)


class CoAuthorship(models.Model):
    """One row per ordered author pair that share works (both directions are stored), kept
    up to date by the importer, so "close collaborators" is one indexed range scan."""

    # Derived rows, written only by set-based statements that join the authors they name:
    # no foreign-key constraints, whose deferred checks (two per row, at commit) cost as much
    # as writing the rows. Django still cascades deletes. The author index is covered by
    # coauthorship_unique, which leads with it.
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
        related_name="coauthorships",
        db_index=False,
        db_constraint=False,
    )
    coauthor = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    shared_works_count = models.PositiveIntegerField()
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = CoAuthorshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "coauthor"], name="coauthorship_unique"),
            models.CheckConstraint(
                condition=~models.Q(author=models.F("coauthor")), name="coauthorship_not_self"
            ),
        ]
        indexes = [
            models.Index(
                fields=["author", "-shared_works_count", "-last_year"],
                name="coauthorship_closest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_id} with {self.coauthor_id}: {self.shared_works_count} works"


class CoAuthorshipDelta(models.Model):
    """A change to CoAuthorship (or, with no coauthor, to an author's works_in_db) that an
    import batch committed and that is not applied yet (works/importer/coauthorship_delta.py).
    Plain ids, no foreign keys and no index but the key: it is only appended to and emptied."""

    author_id = models.BigIntegerField()
    coauthor_id = models.BigIntegerField(null=True)
    delta = models.IntegerField()  # shared works (or works) gained minus lost
    new_year = models.SmallIntegerField(null=True)  # the latest year among the works gained
    may_drop = models.BooleanField(default=False)  # lost a dated work: last_year to recompute

    def __str__(self) -> str:
        return f"{self.author_id} with {self.coauthor_id}: {self.delta:+d}"


class DeletedWork(models.Model):
    """Ids OpenAlex withdrew (works/deleted_ids.csv), kept so a later import never revives them."""

    openalex_id = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return self.openalex_id


class MergedId(models.Model):
    """A merged-away OpenAlex id and the id it was merged into (merged_ids/*.csv)."""

    entity = models.CharField(max_length=20)
    old_id = models.CharField(max_length=32)
    new_id = models.CharField(max_length=32)
    merge_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "old_id"], name="mergedid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.old_id} -> {self.new_id}"


class CorpusVersion(models.Model):
    """One row whose number goes up whenever an import changes the corpus. Cached pages put
    it in their keys, so every web process sees an import at once, whatever the cache."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"corpus version {self.version}"


class CorpusChange(models.Model):
    """A change to the corpus committed but not announced by a new CorpusVersion yet: written
    in the same transaction as the change, so an import killed before it could announce what
    it wrote leaves the mark for the next one (works.services.corpus_version_announce)."""

    def __str__(self) -> str:
        return f"corpus change {self.pk}"


class AuthorshipOverrideQuerySet(models.QuerySet):
    def in_force(self) -> "AuthorshipOverrideQuerySet":
        """Corrections not reverted: the ones the importer and the pages obey."""
        return self.filter(reverted_at__isnull=True)

    def exclusions(self) -> "AuthorshipOverrideQuerySet":
        return self.filter(kind=AuthorshipOverride.Kind.EXCLUDE)

    def inclusions(self) -> "AuthorshipOverrideQuerySet":
        return self.filter(kind=AuthorshipOverride.Kind.INCLUDE)


class AuthorshipOverride(models.Model):
    """A record owner's correction of which works are theirs, kept across re-imports: while an
    "exclude" is in force the importer writes none of `author`'s places on the work again;
    while an "include" is, the one place of the work's byline OpenAlex gives to `from_author`
    (the one printed as the snapshot says, when it gives them several) is written to `author`
    instead. Reverting one undoes it at once."""

    class Kind(models.TextChoices):
        EXCLUDE = "exclude", "Not me"
        INCLUDE = "include", "This is mine"

    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="authorship_overrides"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorship_overrides")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.EXCLUDE)
    # For "include": the record OpenAlex attributes the authorship to (a namesake, a split).
    from_author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(blank=True)
    # "exclude": {"positions": [each place as it was (order, position, raw name, corresponding,
    # institutions, created_at)]}, to restore them (older rows hold one place's keys at the
    # top level); "include": the order and raw name of the place that moved.
    snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuthorshipOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "work"],
                condition=models.Q(reverted_at__isnull=True),
                name="authorship_override_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.author_id} on {self.work_id}"


class ImportRun(models.Model):
    """One `import_openalex --workers/--queue` run: its parts (ImportPart) are imported by
    several processes at once, then the deleted and merged id lists are applied. The counters
    are moved by each part as it finishes, with F() updates, so no worker's count is lost."""

    class Mode(models.TextChoices):
        WORKERS = "workers", "worker processes"
        QUEUE = "queue", "Celery queue"

    class Lists(models.TextChoices):
        WAITING = "waiting", "waiting for the parts"
        QUEUED = "queued", "queued"
        APPLYING = "applying", "applying"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    mode = models.CharField(max_length=10, choices=Mode)
    paths = models.JSONField(default=list)
    strict = models.BooleanField(default=False)
    since = models.DateField(null=True, blank=True)
    # The deleted and merged id lists, in the order they are applied: [kind, entity, path].
    lists = models.JSONField(default=list, blank=True)
    lists_state = models.CharField(max_length=10, choices=Lists, default=Lists.WAITING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    parts_failed = models.PositiveIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)  # of the parts finished
    records = models.PositiveBigIntegerField(default=0)
    errors = models.PositiveBigIntegerField(default=0)  # records reported and skipped
    # Planning warnings (manifests) and what the lists phase reported or failed with.
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"import run {self.pk} ({self.parts_done}/{self.parts_total} parts)"

    @property
    def elapsed(self) -> float:
        return ((self.finished_at or timezone.now()) - self.started_at).total_seconds()

    @property
    def rate(self) -> float:
        """Records per second, over the run so far."""
        return self.records / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, by the bytes of the parts finished so far; None when unknown."""
        if self.finished_at or not self.bytes_done:
            return None
        left = max(self.bytes_total - self.bytes_done, 0)
        return self.elapsed * left / self.bytes_done


class ImportPart(models.Model):
    """One data file of a run, imported by one worker. `state` moves by conditional UPDATEs
    (pending -> running -> done or failed), so a part delivered twice counts once."""

    class State(models.TextChoices):
        PENDING = "pending", "pending"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="parts")
    path = models.TextField()
    size = models.PositiveBigIntegerField(default=0)
    expected_records = models.PositiveBigIntegerField(null=True, blank=True)  # manifest's
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    records = models.PositiveBigIntegerField(default=0)
    errors = models.PositiveBigIntegerField(default=0)
    # The first problems reported (malformed lines, bad values), and how many there were.
    problems = models.TextField(blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the last attempt failed
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "path"], name="importpart_unique_path"),
        ]
        indexes = [models.Index(fields=["run", "state"], name="importpart_run_state")]

    def __str__(self) -> str:
        return f"{self.path} ({self.state})"


class ApiSync(models.Model):
    """One sync from the OpenAlex API (works/openalex_api/): a scope ("author:A…",
    "institution:I…", "filter:…"), the queries it pages through (ApiSyncQuery, each with its
    cursor) and what it imported. A run that stopped (failed, or its process died while
    running) is resumed by the next run of the same scope and `since`, from each query's
    stored cursor."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        FAILED = "failed", "failed"
        DONE = "done", "done"

    class Origin(models.TextChoices):
        COMMAND = "command", "sync_openalex"
        SCHEDULE = "schedule", "daily refresh"
        OWNER = "owner", "asked by the record's owner"

    scope = models.CharField(max_length=500)
    since = models.DateField(null=True, blank=True)  # sent as from_updated_date
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.COMMAND)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveBigIntegerField(default=0)  # read from the API, all queries
    errors = models.PositiveBigIntegerField(default=0)  # records reported and skipped
    problems = models.TextField(blank=True)  # the first ones, as the importer reports them
    error = models.TextField(blank=True)  # why the run stopped

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["scope", "-requested_at"], name="apisync_scope_recent")]

    def __str__(self) -> str:
        return f"OpenAlex sync {self.pk} of {self.scope} ({self.status})"


class ApiSyncQuery(models.Model):
    """One paged query of a sync and the cursor of the next page to fetch: stored after each
    page is imported, so a resumed run fetches nothing twice but the page it was on."""

    sync = models.ForeignKey(ApiSync, on_delete=models.CASCADE, related_name="queries")
    key = models.TextField()  # "works?filter=authorships.author.id:A…" (fetch.query_key)
    cursor = models.TextField(default="*")
    pages = models.PositiveIntegerField(default=0)
    records = models.PositiveBigIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["sync", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sync", "key"], name="apisyncquery_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({'done' if self.done else f'at {self.cursor}'})"
