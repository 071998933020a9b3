"""Collaboration: invites, the conversations they open, blocks and reports."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from works.models import Author, Topic, Work

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
    # Each party's last-read marker: the id of the newest message they have had on screen
    # (0: none). A message is unread for a party while its id is above their marker, and
    # "seen" for its sender once the other party's marker reaches it.
    user_a_read_id = models.PositiveBigIntegerField(default=0)
    user_b_read_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-last_message_at", "-created_at"]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.user_a_id}, {self.user_b_id})"

    def get_absolute_url(self) -> str:
        return reverse("profiles:conversation", args=[self.pk])

    def has_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.user_a_id, self.user_b_id)

    def other_party_id(self, user_id: int) -> int:
        return self.user_b_id if user_id == self.user_a_id else self.user_a_id

    def read_id_of(self, user_id: int) -> int:
        """The last-read marker of one party (0 for anyone else)."""
        if user_id == self.user_a_id:
            return self.user_a_read_id
        return self.user_b_read_id if user_id == self.user_b_id else 0


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
