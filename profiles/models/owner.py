"""What the owner of a claimed record controls: their profile (and its history), merges of
duplicate records, and their requests for works on records others claim."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse

from works.models import Author, AuthorshipOverride, Institution, Work


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
    # The owner asked for the page to be hidden (profiles.services.visibility): it then says
    # only that, and leaves search, sitemaps and the API. Null: shown.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The latest change is in the stamp of kept searches (profiles.selectors.search).
        indexes = [models.Index(fields=["-updated_at"], name="ownerprofile_latest")]

    def __str__(self) -> str:
        return f"Owner's profile of {self.author_id}"


class RecordMerge(models.Model):
    """The history of an owner folding a duplicate record of theirs into their own: the
    duplicate's id now leads to `into` (works.MergedId), for pages and for every import.
    Staff may undo one (profiles.services.owner.author_merge_undo); the row stays, marked."""

    into = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="merges_in")
    duplicate_openalex_id = models.CharField(max_length=32)
    duplicate_name = models.CharField(max_length=500)
    works_moved = models.PositiveIntegerField(default=0)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The duplicate as it was before the merge, to put it back: its fields, last known
    # institutions and authorships, and the rows of other tables that pointed at it
    # ({"app.Model:field": [ids]}). Empty for merges made before undo existed.
    snapshot = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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


class WorkTransfer(models.Model):
    """An owner's "This is me" on a work of a record someone else claims: a request that
    record's claimant accepts or declines, or staff decide (the authorship moves only on
    accept, as a works.AuthorshipOverride). Changed only through profiles.services.owner."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    # The record the work is on (its authorship is looked up again at the answer: a newer
    # import of the work may have rewritten its authorship rows) and the record that asks.
    from_author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    to_author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The correction an accepted request made (undone like any "This is mine").
    override = models.ForeignKey(
        AuthorshipOverride, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open question per work and asking record, even for two simultaneous asks.
            models.UniqueConstraint(
                fields=["work", "to_author"],
                condition=models.Q(status="pending"),
                name="work_transfer_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer of {self.work_id} from {self.from_author_id} to {self.to_author_id}"

    def get_absolute_url(self) -> str:
        return reverse("profiles:work-transfer", args=[self.pk])
