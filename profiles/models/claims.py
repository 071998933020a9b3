"""Claims of author records and their audit log."""

from django.conf import settings
from django.db import models

from works.models import Author


class ClaimQuerySet(models.QuerySet):
    def live(self) -> "ClaimQuerySet":
        """Claims that hold their record: waiting (pending) or proven (active)."""
        return self.filter(status__in=Claim.LIVE_STATUSES)

    def active(self) -> "ClaimQuerySet":
        """Proven claims: their owners curate the record and may be invited."""
        return self.filter(status=Claim.Status.ACTIVE)


class Claim(models.Model):
    """An account's claim to be the person behind an author record. Changed only through
    profiles.services.claims; every change leaves a ClaimEvent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Claim pending"
        ACTIVE = "active", "Claimed"
        REJECTED = "rejected", "Rejected"
        REVOKED = "revoked", "Revoked"
        RELEASED = "released", "Released"

    class Evidence(models.TextChoices):
        NONE = "", "None yet"
        INSTITUTIONAL_EMAIL = "institutional_email", "Institutional email"
        LINK = "link", "Link to a page naming them"
        ORCID = "orcid", "ORCID sign-in"

    LIVE_STATUSES = (Status.PENDING, Status.ACTIVE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # 2: claimed by a verified account; 3: proven by institutional email or ORCID;
    # 4: confirmed by a moderator (see profiles.selectors.claims.author_verification_get).
    level = models.PositiveSmallIntegerField(default=2)
    evidence_kind = models.CharField(max_length=20, choices=Evidence, blank=True)
    evidence_email = models.EmailField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    # The one email link that may still prove this claim; cleared once used or replaced.
    email_nonce = models.CharField(max_length=32, blank=True)
    decision_reason = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # A record has at most one owner, an account owns at most one record: held by the
            # database, so two simultaneous claims cannot both get through.
            models.UniqueConstraint(
                fields=["author"],
                condition=models.Q(status__in=["pending", "active"]),
                name="claim_one_live_per_author",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "active"]),
                name="claim_one_live_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=2, level__lte=4), name="claim_level_2_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.author_id} ({self.status})"


class ClaimEvent(models.Model):
    """The audit log: one row per thing that happened to a claim, never edited."""

    class Kind(models.TextChoices):
        REQUESTED = "requested"
        EVIDENCE_SENT = "evidence_sent", "Evidence sent"
        VERIFIED = "verified"
        APPROVED = "approved"
        REJECTED = "rejected"
        DISPUTED = "disputed"
        REVOKED = "revoked"
        RELEASED = "released"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on claim {self.claim_id}"
