"""Who follows which researcher, and the followers' email digest."""

from django.conf import settings
from django.db import models

from works.models import Author, Work


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
