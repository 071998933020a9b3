"""Reads for claims: the record's verification level, the claim panel of one visitor, the
moderators' queue, and which email domains prove a claim."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery

from profiles.claim_evidence import institution_domains
from profiles.models import Claim
from profiles.selectors.owner import authorship_exclusion_list
from works.models import Author, Authorship, AuthorshipOverride, Institution

# --- verification: the one place that turns a record's claim into a level ---------------


@dataclass(frozen=True)
class Verification:
    level: int  # 1 to 4 (LEVELS); templates show it as "L{{ level }}"
    level_label: str
    claim_status: str
    collaboration_status: str
    is_claimed: bool
    is_pending: bool = False
    # Open to invitations: proven and the owner said so (as invites.invite_recipient_get).
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
        level=level,
        level_label=label,
        claim_status=claim_status,
        collaboration_status=collaboration,
        is_claimed=status == Claim.Status.ACTIVE,
        is_pending=status == Claim.Status.PENDING,
        is_open=status == Claim.Status.ACTIVE and open_flag is True,
    )


def claim_live_subquery(column: str) -> Subquery:
    """A column of the record's live claim, for an author query's annotations. At most one
    live claim per record (a partial unique index), so no ordering is needed."""
    return Subquery(Claim.objects.live().filter(author=OuterRef("pk")).values(column)[:1])


# --- claims -------------------------------------------------------------------------------


def user_has_verified_email(*, user: object) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def author_claim_domains(*, author: Author) -> list[str]:
    """Email domains that prove a claim of this record: those of its last known institutions
    and of the institutions on its authorships (one query)."""
    # Two IN subqueries, not one OR across two joins: the joins multiplied every institution
    # by all its authors and authorships (150 s at a million works, found by bench/run).
    on_authorships = Authorship.institutions.through.objects.filter(
        authorship__author=author
    ).values("institution_id")
    urls = (
        Institution.objects.filter(
            Q(pk__in=author.last_known_institutions.values("pk")) | Q(pk__in=on_authorships)
        )
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


def claim_is_active_owner(*, user: object, author: Author) -> bool:
    return Claim.objects.active().filter(user=user, author=author).exists()


def claim_is_live_owner(*, user: object, author: Author) -> bool:
    """The visitor holds the record's pending or proven claim: they say they are this
    person (so they may not follow the record, for instance)."""
    return (
        getattr(user, "is_authenticated", False)
        and Claim.objects.live().filter(user=user, author=author).exists()
    )


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
