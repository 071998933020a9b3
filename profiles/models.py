"""The people side: who follows which researcher (claims and invites come in later issues)."""

from django.conf import settings
from django.db import models

from works.models import Author


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
