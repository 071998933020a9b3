from django import forms

from profiles.models import Claim


class ClaimEvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (Claim.Evidence.INSTITUTIONAL_EMAIL, "Institutional email"),
            (Claim.Evidence.LINK, "Link"),
        ]
    )
    email = forms.EmailField(required=False, label="Your address at the institution")
    url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="A page that shows your email address and your name",
    )

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Claim.Evidence.INSTITUTIONAL_EMAIL and not data.get("email"):
            self.add_error("email", "Enter your address at the institution.")
        if kind == Claim.Evidence.LINK and not data.get("url"):
            self.add_error("url", "Enter the address of the page.")
        return data


class ClaimReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)


class ClaimDecisionForm(ClaimReasonForm):
    action = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject"), ("revoke", "Revoke")]
    )


class NotMeForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)


class OwnerProfileForm(forms.Form):
    summary = forms.CharField(
        max_length=200,
        required=False,
        label="One-line summary",
        help_text="Shown under your name instead of the summary BZPEER writes from your works.",
    )
    open_to_collaborate = forms.ChoiceField(
        choices=[("", "Not said"), ("yes", "Open to collaborate"), ("no", "Not right now")],
        required=False,
        label="Collaboration",
    )
    shown_institution = forms.ChoiceField(required=False, label="Affiliation shown")

    def __init__(self, *args: object, institutions: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the record's own institutions: a forged id is a form error, not a new fact.
        self.fields["shown_institution"].choices = [
            ("", "As OpenAlex last knew it"),
            *((str(inst.id), inst.display_name) for inst in institutions),
        ]
