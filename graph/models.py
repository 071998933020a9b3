"""What the worker computes about a researcher, stored in our own tables.

Each row is both the result and its job's status: `queued_at` is set by the one request that
won the right to queue a computation (a conditional UPDATE, see graph/services.py) and cleared
by the worker when it stores the result; `input_fingerprint` says which inputs the result was
computed from, so a changed fingerprint means the result is stale.
"""

from django.db import models

from works.models import Author


class Computed(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="+")
    input_fingerprint = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)  # None until the first result
    queued_at = models.DateTimeField(null=True, blank=True)  # a computation is on its way
    # Forces a recomputation at the next view whatever the fingerprint says (staff set it in
    # the admin; no service sets it today: the fingerprint covers the inputs it knows).
    is_stale = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def has_result(self) -> bool:
        return self.computed_at is not None


class TrustScore(Computed):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="trust_score")
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # 0..100
    label = models.CharField(max_length=40, blank=True)
    components = models.JSONField(default=list)  # [{key, name, weight, points, evidence}]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score} ({self.label})"


class GraphSlice(Computed):
    """The neighbourhood of one researcher, ranked and laid out (graph/slice.py)."""

    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="graph_slice")
    # [{key, kind, openalex_id, label, rank, x, y}] and [{source, target, kind, weight}]
    nodes = models.JSONField(default=list)
    edges = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"graph slice of {self.author_id}: {len(self.nodes)} nodes"
