"""The people side: who follows which researcher, who claims which record, and collaboration
invites with the conversations they open."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from works.models import Author, Institution, Topic, Work


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "user"], name="follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.author_id}"


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


class OwnerProfile(models.Model):
    """What the owner of a claimed record says on its page, over what the data implies: a
    one-line summary, whether they are open to collaborate, which affiliation to show."""

    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="owner_profile")
    summary = models.CharField(max_length=200, blank=True)
    open_to_collaborate = models.BooleanField(null=True, blank=True)  # None: not said
    # One of the record's own institutions (profiles.forms.OwnerProfileForm offers only those).
    shown_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Owner's profile of {self.author_id}"


class RecordMerge(models.Model):
    """The history of an owner folding a duplicate record of theirs into their own: the
    duplicate's id now leads to `into` (works.MergedId), for pages and for every import."""

    into = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="merges_in")
    duplicate_openalex_id = models.CharField(max_length=32)
    duplicate_name = models.CharField(max_length=500)
    works_moved = models.PositiveIntegerField(default=0)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.duplicate_openalex_id} merged into {self.into_id}"


class OwnerProfileEdit(models.Model):
    """The history of an owner's profile: the values before and after each edit, for staff
    to read and revert."""

    profile = models.ForeignKey(OwnerProfile, on_delete=models.CASCADE, related_name="edits")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Edit of {self.profile_id} at {self.created_at:%Y-%m-%d %H:%M}"


# --- collaboration: invites, conversations, blocks, reports -------------------------------
# Changed only through profiles.services.invites, which holds the rules (who may invite whom,
# the daily limit, blocks); the constraints below hold what must never happen even at once.

INVITE_MESSAGE_MIN = 20
INVITE_MESSAGE_MAX = 2000
INVITE_SUBJECT_MAX = 120
MESSAGE_BODY_MAX = 5000


class Invite(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    class Focus(models.TextChoices):
        TOPIC = "topic", "One of their topics"
        WORK = "work", "One of their works"
        SUBJECT = "subject", "A subject of your own"

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites_received"
    )
    # The recipient's record the invite was sent from.
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="invites")
    focus_kind = models.CharField(max_length=10, choices=Focus)
    focus_topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    focus_work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The focus as shown: the topic's name, the work's title or the sender's own subject,
    # copied when sent so the invite reads the same after re-imports.
    focus = models.CharField(max_length=300)
    message = models.TextField(max_length=INVITE_MESSAGE_MAX)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending invite per sender and recipient, even for two simultaneous sends.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=models.Q(status="pending"),
                name="invite_one_pending_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="invite_not_to_self"
            ),
        ]
        indexes = [models.Index(fields=["sender", "created_at"], name="invite_sender_day")]

    def __str__(self) -> str:
        return f"Invite {self.pk} from {self.sender_id} to {self.recipient_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("profiles:invite", args=[self.pk])


class Conversation(models.Model):
    """The thread an accepted invite opens between its two parties."""

    invite = models.OneToOneField(Invite, on_delete=models.CASCADE, related_name="conversation")
    # The invite's sender and recipient, copied so a party check is one indexed lookup.
    user_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-created_at"]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.user_a_id}, {self.user_b_id})"

    def get_absolute_url(self) -> str:
        return reverse("profiles:conversation", args=[self.pk])

    def has_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.user_a_id, self.user_b_id)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MESSAGE_BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"


class Block(models.Model):
    """`blocker` takes no more invites or messages from `blocked`."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Report(models.Model):
    """An invite or a message reported to staff; while one exists, staff may read that
    invite or that conversation."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    invite = models.ForeignKey(
        Invite, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(invite__isnull=True, message__isnull=False)
                | models.Q(invite__isnull=False, message__isnull=True),
                name="report_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} by {self.reporter_id}"


# --- the followers' email digest -----------------------------------------------------------


class DigestOptIn(models.Model):
    """An account that wants new works of the researchers it follows by email, once a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_opt_in"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the digest task with a conditional UPDATE: at most one digest a day.
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest for {self.user_id}"


class DigestSent(models.Model):
    """A work that has reached this account in a digest: never sent to it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="digest_sent_once_per_work")
        ]

    def __str__(self) -> str:
        return f"Work {self.work_id} sent to {self.user_id}"
