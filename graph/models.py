"""What the worker computes about a researcher, stored in our own tables."""

from django.db import models

from works.models import Author


class TrustScore(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="trust_score")
    score = models.PositiveSmallIntegerField()  # 0..100
    label = models.CharField(max_length=40)
    components = models.JSONField(default=list)  # [{name, weight, points, evidence}]
    input_fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    is_stale = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score} ({self.label})"
