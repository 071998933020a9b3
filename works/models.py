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

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
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
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="work_topics")
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

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="coauthorships")
    coauthor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
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
