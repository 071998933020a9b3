"""Reads for the researcher side: the researcher page, search and the home page's starting
points. Every function returns plain rows or model instances the templates walk without
issuing further queries."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from profiles.claim_evidence import institution_domains
from profiles.models import Claim, Follow, OwnerProfile
from works.importer.normalize import normalize_doi
from works.models import (
    RESERVED_AUTHOR_IDS,
    Author,
    Authorship,
    AuthorshipOverride,
    CoAuthorship,
    CorpusVersion,
    Institution,
    MergedId,
    Topic,
    Work,
    WorkTopic,
)
from works.names import SEARCH_NAME_SEPARATOR, name_fold
from works.selectors import WorkSlice, openalex_url, work_slice_get

CLOSE_COLLABORATOR_MIN_SHARED = 2
COAUTHORS_SHOWN = 12
TOPICS_SHOWN = 20
INSTITUTIONS_SHOWN = 20
ROW_TOPICS_SHOWN = 3
FEATURED_SHOWN = 8

# --- text helpers ------------------------------------------------------------------------


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- verification: the one place that turns a record's claim into a level ---------------


@dataclass(frozen=True)
class Verification:
    level: str
    level_label: str
    claim_status: str
    collaboration_status: str
    is_claimed: bool
    is_pending: bool = False
    # Open to invitations: proven and the owner said so (profiles.invite_selectors agrees).
    is_open: bool = False


LEVELS = {
    1: ("Public record, unclaimed", "Unclaimed author"),
    2: ("Claimed by a verified account, awaiting evidence or review", "Claim pending"),
    3: ("Claim proven by institutional email or ORCID", "Claimed by the researcher"),
    4: ("Reviewed and confirmed by a moderator", "Claimed by the researcher"),
}


def author_verification_get(*, author: Author) -> Verification:
    """The record's level from its live claim, read from the claim_status / claim_level
    annotations of the page's author query (no query of its own); for an author fetched
    without them (the worker's), one query."""
    if hasattr(author, "claim_status"):
        status, level = author.claim_status, author.claim_level
    else:
        live = Claim.objects.live().filter(author=author).values_list("status", "level").first()
        status, level = live or (None, None)
    if status != Claim.Status.ACTIVE:
        level = 2 if status == Claim.Status.PENDING else 1
    label, claim_status = LEVELS[level]
    collaboration = {
        1: "Collaboration status: not set (unclaimed record)",
        2: "Collaboration status: not set (claim pending)",
    }.get(level, "Collaboration status: not set by the researcher yet")
    # The owner's own word, once the claim is proven (OwnerProfile, annotated on the page).
    open_flag = getattr(author, "owner_open", None)
    if level >= 3 and open_flag is not None:
        collaboration = (
            "Open to collaborate" if open_flag else "Not looking for collaborations right now"
        )
    return Verification(
        level=f"L{level}",
        level_label=label,
        claim_status=claim_status,
        collaboration_status=collaboration,
        is_claimed=status == Claim.Status.ACTIVE,
        is_pending=status == Claim.Status.PENDING,
        is_open=status == Claim.Status.ACTIVE and open_flag is True,
    )


def _owner_profile(column: str) -> Subquery:
    return Subquery(OwnerProfile.objects.filter(author=OuterRef("pk")).values(column)[:1])


def _live_claim(column: str) -> Subquery:
    # At most one live claim per record (a partial unique index), so no ordering is needed.
    return Subquery(Claim.objects.live().filter(author=OuterRef("pk")).values(column)[:1])


# --- researcher page -----------------------------------------------------------------------


def _count_subquery(queryset: QuerySet, column: str, *, distinct: bool = False) -> Coalesce:
    # A correlated COUNT in the author's own row: several counts in one query, and no join
    # fan-out between them (joining follows and works together would multiply the rows).
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count(column, distinct=distinct))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _author_with_counts() -> QuerySet[Author]:
    here = OuterRef("pk")
    return Author.objects.public().annotate(
        claim_status=_live_claim("status"),
        claim_level=_live_claim("level"),
        owner_summary=_owner_profile("summary"),
        owner_open=_owner_profile("open_to_collaborate"),
        owner_institution_id=_owner_profile("shown_institution_id"),
        followers_count=_count_subquery(Follow.objects.filter(author=here), "id"),
        topics_count=_count_subquery(
            WorkTopic.objects.filter(work__authorships__author=here), "topic", distinct=True
        ),
        close_collaborators_count=_count_subquery(
            CoAuthorship.objects.filter(
                author=here, shared_works_count__gte=CLOSE_COLLABORATOR_MIN_SHARED
            ).exclude(coauthor__openalex_id__in=RESERVED_AUTHOR_IDS),
            "id",
        ),
    )


def researcher_page_stamp(*, openalex_id: str) -> str | None:
    """Everything a cached researcher page depends on besides its id, as one string, in one
    query: the author row, the corpus version (any import), the follower count, when a claim
    of the record last changed and when its owner last edited their profile. (The trust score
    is not in the page: it loads as its own fragment.) None for unknown and reserved ids."""
    here = OuterRef("pk")
    row = (
        Author.objects.public()
        .filter(openalex_id=openalex_id)
        .annotate(
            followers_n=_count_subquery(Follow.objects.filter(author=here), "id"),
            corpus_version=Subquery(CorpusVersion.objects.filter(pk=1).values("version")),
            # Every claim change touches updated_at: requests, proofs, decisions, releases.
            claims_at=Subquery(
                Claim.objects.filter(author=here).order_by("-updated_at").values("updated_at")[:1]
            ),
            profile_at=_owner_profile("updated_at"),
        )
        .values_list("id", "corpus_version", "followers_n", "claims_at", "profile_at")
        .first()
    )
    if row is None:
        return None
    author_pk, version, followers, claims_at, profile_at = row
    claims = claims_at.timestamp() if claims_at else "none"
    profile = profile_at.timestamp() if profile_at else "none"
    return f"{author_pk}:{version or 0}:{followers}:{claims}:{profile}"


def author_get_for_page(*, openalex_id: str) -> Author | None:
    """The author with works/followers/topics/close-collaborator counts and last known
    institutions: two queries. None for unknown and reserved ids."""
    return (
        _author_with_counts()
        .prefetch_related("last_known_institutions")
        .filter(openalex_id=openalex_id)
        .first()
    )


def author_get_by_orcid(*, orcid: str) -> Author | None:
    # OpenAlex sometimes splits one person over records sharing an ORCID: take the fullest.
    return (
        Author.objects.public()
        .filter(orcid=orcid)
        .order_by("-works_count", "openalex_id")
        .only("openalex_id")
        .first()
    )


def author_get_brief(*, openalex_id: str) -> Author | None:
    """Just enough of a public author for a fragment of their page (one query)."""
    return (
        Author.objects.public()
        .filter(openalex_id=openalex_id)
        .only("id", "openalex_id", "display_name")
        # The claim state rides along, so author_verification_get needs no query of its own.
        .annotate(claim_status=_live_claim("status"), claim_level=_live_claim("level"))
        .first()
    )


def author_topic_list(*, author_id: int, limit: int = TOPICS_SHOWN) -> list[Topic]:
    """Topics over the author's works, each with works_n (how many of their works carry it)."""
    return list(
        Topic.objects.filter(work_topics__work__authorships__author_id=author_id)
        .annotate(works_n=Count("work_topics__work", distinct=True))
        .order_by("-works_n", "display_name")[:limit]
    )


def author_coauthor_list(*, author_id: int, limit: int = COAUTHORS_SHOWN) -> list[CoAuthorship]:
    # The (author, -shared_works_count, -last_year) index serves this as one range scan.
    return list(
        CoAuthorship.objects.filter(author_id=author_id)
        .exclude(coauthor__openalex_id__in=RESERVED_AUTHOR_IDS)
        .select_related("coauthor")
        .order_by("-shared_works_count", F("last_year").desc(nulls_last=True), "coauthor_id")[
            :limit
        ]
    )


@dataclass(frozen=True)
class InstitutionRow:
    institution: Institution
    is_last_known: bool
    works_n: int


def author_institution_list(
    *, author: Author, limit: int = INSTITUTIONS_SHOWN
) -> list[InstitutionRow]:
    """Last known institutions first (already prefetched on author), then the institutions
    named on their authorships by how many works: one query."""
    on_works = {
        inst.id: inst
        for inst in Institution.objects.filter(authorships__author_id=author.id)
        .annotate(works_n=Count("authorships__work", distinct=True))
        .order_by("-works_n", "display_name")[:limit]
    }
    rows = [
        InstitutionRow(
            institution=inst,
            is_last_known=True,
            works_n=on_works.pop(inst.id).works_n if inst.id in on_works else 0,
        )
        for inst in author.last_known_institutions.all()
    ]
    rows += [
        InstitutionRow(institution=inst, is_last_known=False, works_n=inst.works_n)
        for inst in on_works.values()
    ]
    return rows


def author_summary_line(*, author: Author, topics: list[Topic]) -> str:
    """A factual one-liner: their most frequent topics; failing that, their works and venues
    (one more query, only for authors without topics)."""
    if topics:
        return f"Works on {_join_names([t.display_name for t in topics[:3]])}"
    if not author.works_in_db:
        return "No works by this researcher are in BZPEER's index yet."
    by_venue = list(
        Work.objects.filter(authorships__author_id=author.id)
        .values("primary_source__display_name")
        .annotate(n=Count("id"), first=Min("publication_year"), last=Max("publication_year"))
        .order_by("-n", "primary_source__display_name")
    )
    works = "1 work" if author.works_in_db == 1 else f"{author.works_in_db} works"
    line = f"Author of {works} in BZPEER's index"
    years = [y for row in by_venue for y in (row["first"], row["last"]) if y]
    if years:
        first, last = min(years), max(years)
        line += f", {first}" if first == last else f", {first}–{last}"
    venues = [row["primary_source__display_name"] for row in by_venue]
    venues = [v for v in venues if v][:2]
    if venues:
        line += f"; published in {_join_names(venues)}"
    return line + "."


def author_work_slice(*, author_id: int, number: int) -> WorkSlice:
    """Their works newest first, WORKS_PAGE_SIZE at a time: two queries (works with venue,
    then the author lists of just those works)."""
    return work_slice_get(
        queryset=Work.objects.filter(authorships__author_id=author_id), number=number
    )


@dataclass
class ResearcherPage:
    author: Author
    verification: Verification
    summary: str
    topics: list[Topic]
    coauthors: list[CoAuthorship]
    institutions: list[InstitutionRow]
    works: WorkSlice
    openalex_url: str
    affiliations: list[Institution] = field(default_factory=list)  # shown in the header
    close_collaborator_min: int = field(default=CLOSE_COLLABORATOR_MIN_SHARED)


def researcher_page_get(*, openalex_id: str, works_number: int = 1) -> ResearcherPage | None:
    """Everything on a researcher page except the per-visitor bits and the trust score:
    seven queries whatever the size of the record (eight for an author without topics)."""
    author = author_get_for_page(openalex_id=openalex_id)
    if author is None:
        return None
    topics = author_topic_list(author_id=author.id)
    verification = author_verification_get(author=author)
    institutions = author_institution_list(author=author)
    # The owner's summary and chosen affiliation count while their claim is proven.
    owned = verification.is_claimed
    affiliations = list(author.last_known_institutions.all())
    chosen = [
        r.institution for r in institutions if r.institution.id == author.owner_institution_id
    ]
    if owned and chosen:
        affiliations = chosen
    return ResearcherPage(
        author=author,
        verification=verification,
        summary=(owned and author.owner_summary)
        or author_summary_line(author=author, topics=topics),
        topics=topics,
        coauthors=author_coauthor_list(author_id=author.id),
        institutions=institutions,
        works=author_work_slice(author_id=author.id, number=works_number),
        openalex_url=openalex_url(author.openalex_id),
        affiliations=affiliations,
    )


# --- search, browse and starting points -----------------------------------------------------


@dataclass(frozen=True)
class TopicCount:
    openalex_id: str
    display_name: str
    works_n: int


def topics_by_author(
    *, author_ids: list[int], per_author: int = ROW_TOPICS_SHOWN
) -> dict[int, list[TopicCount]]:
    """Each author's most frequent topics, for a page of result rows: one query, the
    per-author cut done by a window function in the database."""
    if not author_ids:
        return {}
    rows = (
        Authorship.objects.filter(author_id__in=author_ids, work__work_topics__isnull=False)
        .values(
            "author_id",
            "work__work_topics__topic__openalex_id",
            "work__work_topics__topic__display_name",
        )
        .annotate(n=Count("work_id", distinct=True))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("author_id"),
                order_by=[F("n").desc(), F("work__work_topics__topic__display_name").asc()],
            )
        )
        .filter(rank__lte=per_author)
        .order_by("author_id", "rank")
    )
    result: dict[int, list[TopicCount]] = {}
    for row in rows:
        result.setdefault(row["author_id"], []).append(
            TopicCount(
                openalex_id=row["work__work_topics__topic__openalex_id"],
                display_name=row["work__work_topics__topic__display_name"],
                works_n=row["n"],
            )
        )
    return result


def _attach_row_topics(authors: list[Author]) -> list[Author]:
    # Rows carry their top topics as an attribute so the row template is one plain loop.
    topics = topics_by_author(author_ids=[a.id for a in authors])
    for author in authors:
        author.top_topics = topics.get(author.id, [])
    return authors


def _whole_name_q(needle: str) -> Q:
    # search_name is "name | alternative | ...": the query equals one of the names.
    sep = SEARCH_NAME_SEPARATOR
    return (
        Q(search_name=needle)
        | Q(search_name__startswith=f"{needle}{sep}")
        | Q(search_name__endswith=f"{sep}{needle}")
        | Q(search_name__contains=f"{sep}{needle}{sep}")
    )


def author_search_page(*, query: str, number: str | None) -> tuple[str, Page]:
    """Researchers whose name or alternative names contain the query, case- and accent-
    insensitively (the trigram index on search_name serves the LIKE), exact and prefix
    matches first, then by works in our index. Empty query browses everyone.
    Four queries: count, page, affiliations, top topics."""
    needle = name_fold(query)
    authors = Author.objects.public()
    if needle:
        authors = authors.filter(search_name__contains=needle).annotate(
            match_rank=CaseWhen(
                When(_whole_name_q(needle), then=Value(0)),
                When(search_name__startswith=needle, then=Value(1)),
                When(search_name__contains=f" {needle}", then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        ordering = ["match_rank", "-works_in_db", "display_name", "id"]
    else:
        ordering = ["-works_in_db", "display_name", "id"]
    authors = authors.prefetch_related("last_known_institutions").order_by(*ordering)
    page = Paginator(authors, settings.SEARCH_PAGE_SIZE).get_page(number)
    page.object_list = _attach_row_topics(list(page.object_list))
    return needle, page


def author_list_featured(*, limit: int = FEATURED_SHOWN) -> list[Author]:
    """Starting points for the home page: the researchers with the most works in our index.
    Three queries (authors, affiliations, topics)."""
    authors = list(
        Author.objects.public()
        .filter(works_in_db__gt=0)
        .prefetch_related("last_known_institutions")
        .order_by("-works_in_db", "display_name")[:limit]
    )
    return _attach_row_topics(authors)


# --- claims -------------------------------------------------------------------------------


def user_has_verified_email(*, user: object) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def author_claim_domains(*, author: Author) -> list[str]:
    """Email domains that prove a claim of this record: those of its last known institutions
    and of the institutions on its authorships (one query)."""
    urls = (
        Institution.objects.filter(Q(last_known_authors=author) | Q(authorships__author=author))
        .exclude(homepage_url="")
        .values_list("homepage_url", flat=True)
        .distinct()
    )
    return institution_domains(list(urls))


@dataclass(frozen=True)
class ViewerClaim:
    """The claim panel for one logged-in visitor on one record."""

    live: Claim | None  # the record's pending or active claim, whoever holds it
    mine: Claim | None  # the visitor's latest claim of this record, in any state
    owns_other: bool  # the visitor holds a live claim of another record
    email_verified: bool
    domains: list[str]
    orcid_enabled: bool = False  # ORCID sign-in configured (settings.SOCIALACCOUNT_PROVIDERS)
    # Works the owner took off this record ("Not me"), newest first; empty for non-owners.
    exclusions: list[AuthorshipOverride] = field(default_factory=list)

    @property
    def is_owner(self) -> bool:
        return self.live is not None and self.mine is not None and self.live.pk == self.mine.pk

    @property
    def can_curate(self) -> bool:
        """The owner of an active claim curates the record's works."""
        return self.is_owner and self.live.status == Claim.Status.ACTIVE

    @property
    def added_work_ids(self) -> set[int]:
        """Works on the record because the owner said "This is mine"."""
        return {o.work_id for o in self.exclusions if o.kind == AuthorshipOverride.Kind.INCLUDE}

    @property
    def decision_notice(self) -> Claim | None:
        """The visitor's own claim of this record a moderator turned down, to tell them why."""
        closed = (Claim.Status.REJECTED, Claim.Status.REVOKED)
        if self.live is None and self.mine is not None and self.mine.status in closed:
            return self.mine
        return None


def claim_get_for_viewer(*, user: object, author: Author) -> ViewerClaim:
    """Three queries: the claims touching this record or this visitor, the visitor's verified
    address, and the record's institution domains."""
    live_statuses = Claim.LIVE_STATUSES
    claims = list(
        Claim.objects.filter(
            Q(author=author, user=user)
            | Q(author=author, status__in=live_statuses)
            | Q(user=user, status__in=live_statuses)
        ).order_by("-updated_at")
    )
    live = next(
        (c for c in claims if c.author_id == author.pk and c.status in Claim.LIVE_STATUSES), None
    )
    mine = next((c for c in claims if c.author_id == author.pk and c.user_id == user.pk), None)
    viewer = ViewerClaim(
        live=live,
        mine=mine,
        owns_other=any(c.author_id != author.pk for c in claims),
        email_verified=user_has_verified_email(user=user),
        domains=author_claim_domains(author=author),
        orcid_enabled=bool(settings.SOCIALACCOUNT_PROVIDERS.get("orcid", {}).get("APPS")),
    )
    if viewer.can_curate:  # one more query, for the owner only
        viewer.exclusions.extend(authorship_exclusion_list(author=author))
    return viewer


def authorship_exclusion_list(*, author: Author) -> list[AuthorshipOverride]:
    """The owner's corrections in force on this record ("Not me", "This is mine"), with the
    works' titles."""
    return list(
        AuthorshipOverride.objects.filter(author=author, reverted_at__isnull=True)
        .select_related("work")
        .only("id", "kind", "reason", "created_at", "work_id", "work__openalex_id", "work__title")
    )


WORK_CANDIDATES_SHOWN = 20


def work_candidates_for_author(*, author: Author, query: str) -> list[Work]:
    """Works in our index an owner may say are theirs: by DOI (exactly) or by title (a part
    of it), not already on their record, each with its author list (two queries)."""
    doi = normalize_doi(query)
    if doi.startswith("10."):
        works = Work.objects.filter(doi=doi)
    elif len(query.strip()) >= 4:
        works = Work.objects.filter(title__icontains=query.strip())
    else:
        return []
    return list(
        works.exclude(authorships__author=author)
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author").only(
                    "id", "work_id", "order", "raw_author_name",
                    "author__openalex_id", "author__display_name",
                ),
            )
        )
        .order_by(F("publication_year").desc(nulls_last=True), "id")[:WORK_CANDIDATES_SHOWN]
    )  # fmt: skip


def claim_is_active_owner(*, user: object, author: Author) -> bool:
    return Claim.objects.filter(user=user, author=author, status=Claim.Status.ACTIVE).exists()


def claim_get(*, claim_id: int) -> Claim | None:
    return Claim.objects.select_related("author", "user").filter(pk=claim_id).first()


def claim_list_for_review() -> list[Claim]:
    """What moderators should look at: pending claims, disputed live claims and level-3
    claims with a link to confirm, oldest first, with their events (two queries)."""
    return list(
        Claim.objects.live()
        .filter(
            Q(status=Claim.Status.PENDING)
            | Q(disputed_at__isnull=False)
            | Q(level=3, evidence_kind=Claim.Evidence.LINK)
        )
        .select_related("author", "user")
        .prefetch_related("events__actor")
        .order_by("updated_at")
    )


def owner_profile_get(*, author: Author) -> OwnerProfile | None:
    return OwnerProfile.objects.filter(author=author).first()


def authorship_added_work_ids(*, author: Author) -> set[int]:
    """Works on the record because its owner added them ("This is mine"): one query."""
    return set(
        AuthorshipOverride.objects.filter(
            author=author, kind=AuthorshipOverride.Kind.INCLUDE, reverted_at__isnull=True
        ).values_list("work_id", flat=True)
    )


# --- duplicate records of an owner --------------------------------------------------------

DUPLICATE_MIN_SHARED_COAUTHORS = 3


def _name_key(display_name: str) -> tuple[str, str]:
    # "Mitchell Wortsman", "M. Wortsman", "Wortsman, Mitchell" -> ("m", "wortsman").
    name = name_fold(display_name)
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.rpartition(" ")
    return (first.strip()[:1], last.strip())


def author_duplicate_suggestions(*, author: Author, limit: int = 10) -> list[Author]:
    """Other records that may be the same person: a name with the same family name and first
    initial, sharing DUPLICATE_MIN_SHARED_COAUTHORS or more co-authors. Two queries."""
    initial, last = _name_key(author.display_name)
    if not last:
        return []
    coauthor_ids = CoAuthorship.objects.filter(author=author).values("coauthor_id")
    candidates = (
        Author.objects.public()
        .exclude(pk=author.pk)
        .filter(search_name__contains=last)
        .annotate(
            shared_coauthors=Count(
                "coauthorships",
                filter=Q(coauthorships__coauthor_id__in=coauthor_ids),
                distinct=True,
            )
        )
        .filter(shared_coauthors__gte=DUPLICATE_MIN_SHARED_COAUTHORS)
        .order_by("-shared_coauthors", "display_name")[: limit * 3]
    )
    return [a for a in candidates if _name_key(a.display_name) == (initial, last)][:limit]


@dataclass(frozen=True)
class MergePreview:
    duplicate: Author
    works_now: int
    works_after: int
    coauthors_after: int
    claimed_by_other: bool


def author_merge_preview(*, into: Author, duplicate: Author) -> MergePreview:
    """The counts the owner's record will have once the duplicate is folded in (three
    queries)."""
    both = [into.pk, duplicate.pk]
    works_after = Work.objects.filter(authorships__author_id__in=both).distinct().count()
    coauthors_after = (
        CoAuthorship.objects.filter(author_id__in=both)
        .exclude(coauthor_id__in=both)
        .exclude(coauthor__openalex_id__in=RESERVED_AUTHOR_IDS)
        .values("coauthor_id")
        .distinct()
        .count()
    )
    return MergePreview(
        duplicate=duplicate,
        works_now=into.works_in_db,
        works_after=works_after,
        coauthors_after=coauthors_after,
        claimed_by_other=Claim.objects.live().filter(author=duplicate).exists(),
    )


def author_merged_into(*, openalex_id: str) -> str | None:
    """The id a merged-away author record leads to now, if any (one query)."""
    return (
        MergedId.objects.filter(entity="authors", old_id=openalex_id)
        .values_list("new_id", flat=True)
        .first()
    )


# --- follows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowState:
    following: bool
    followers_count: int


def follow_state_get(*, user: object, author: Author) -> FollowState:
    """Whether `user` follows `author`, and how many follow them: one query."""
    row = Author.objects.filter(pk=author.pk).aggregate(
        n=Count("follows"), mine=Count("follows", filter=Q(follows__user=user))
    )
    return FollowState(following=bool(row["mine"]), followers_count=row["n"])


def follow_exists(*, user: object, author: Author) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, author=author).exists()
