"""What a user should know: one row per thing that happened to them, read or not. Other apps
write these through notices.services; this app imports none of theirs."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        INVITE_RECEIVED = "invite_received", "Invitation received"
        INVITE_ACCEPTED = "invite_accepted", "Invitation accepted"
        INVITE_DECLINED = "invite_declined", "Invitation declined"
        MESSAGE = "message", "New message"
        CLAIM_DECIDED = "claim_decided", "Claim decided"
        NEW_WORKS = "new_works", "New works"
        # Someone asked for a work of your record, a merge of it was undone, ...
        RECORD_CHANGED = "record_changed", "Your record"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.CharField(max_length=300)
    # Where the notification leads on the site (a path), or blank.
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
            # The header's count on every page: only the unread rows of one user.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
