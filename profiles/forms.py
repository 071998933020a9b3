from django import forms

from profiles.models import (
    DISPLAY_NAME_MAX,
    INVITE_MESSAGE_MAX,
    INVITE_MESSAGE_MIN,
    INVITE_SUBJECT_MAX,
    MESSAGE_BODY_MAX,
    Claim,
    Invite,
)
from profiles.services.accounts import AccountError, display_name_clean, person_set_display_name


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


class WorkTransferDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "Give the work"), ("decline", "Keep it")])


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


class InviteForm(forms.Form):
    focus_kind = forms.ChoiceField(
        choices=Invite.Focus.choices, widget=forms.RadioSelect, label="Focus"
    )
    topic = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Topic")
    work = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Work")
    subject = forms.CharField(max_length=INVITE_SUBJECT_MAX, required=False, label="Subject")
    message = forms.CharField(
        min_length=INVITE_MESSAGE_MIN,
        max_length=INVITE_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"{INVITE_MESSAGE_MIN} to {INVITE_MESSAGE_MAX} characters.",
    )

    def __init__(self, *args: object, topics: list, works: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the recipient's own topics and works are offered; the service checks again.
        self.fields["topic"].choices = [("", "—"), *((t.id, t.display_name) for t in topics)]
        self.fields["work"].choices = [("", "—"), *((w.id, w.title) for w in works)]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("focus_kind")
        needed = {"topic": "topic", "work": "work", "subject": "subject"}.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, f"Choose the {needed} of the invitation.")
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=MESSAGE_BODY_MAX, widget=forms.Textarea(attrs={"rows": 3}), label="Message"
    )


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        max_length=DISPLAY_NAME_MAX,
        label="Your name on BZPEER",
        help_text="What other people see: on invitations, in conversations and notifications. "
        "Your email address stays private.",
        # allauth's sign-up page shows its fields unlabeled, by their placeholder.
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "placeholder": "Your name, as others will see it"}
        ),
    )

    def clean_display_name(self) -> str:
        try:
            return display_name_clean(self.cleaned_data["display_name"])
        except AccountError as exc:
            raise forms.ValidationError(str(exc)) from None


class SignupForm(DisplayNameForm):
    """allauth's sign-up form takes this one's fields (ACCOUNT_SIGNUP_FORM_CLASS) and calls
    signup() once the account exists."""

    def signup(self, request: object, user: object) -> None:
        person_set_display_name(user=user, display_name=self.cleaned_data["display_name"])
