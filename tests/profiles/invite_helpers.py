"""Set-up for the collaboration tests, through the real services: a researcher whose owner
proved the claim and is open to collaborate."""

from django.contrib.auth.models import AbstractBaseUser

from profiles.models import Invite
from profiles.services.claims import claim_approve, claim_request
from profiles.services.invites import invite_create
from profiles.services.owner import owner_profile_update
from tests.factories import make_author, make_topic, make_user, make_work
from works.models import Author

MESSAGE = "I would like to work with you on robust fine-tuning."


def make_owned_author(
    *, owner: AbstractBaseUser | None = None, open_to_collaborate: bool | None = True, **kw
) -> tuple[Author, AbstractBaseUser]:
    owner = owner or make_user()
    author = make_author(**kw)
    make_work(authors=[author], topics=[make_topic(display_name="Robustness")], title="A paper")
    claim = claim_request(user=owner, author=author)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    owner_profile_update(
        author=author,
        user=owner,
        summary="",
        open_to_collaborate=open_to_collaborate,
        shown_institution_id=None,
    )
    return author, owner


def send_invite(*, sender: AbstractBaseUser, author: Author, subject: str = "Robustness") -> Invite:
    return invite_create(
        sender=sender,
        author=author,
        focus_kind=Invite.Focus.SUBJECT,
        subject=subject,
        message=MESSAGE,
    )
