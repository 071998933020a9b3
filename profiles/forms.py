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
