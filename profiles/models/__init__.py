"""The people side: who follows which researcher, who claims which record, what an owner
controls, and collaboration invites with the conversations they open. One module per
sub-domain, as in selectors/, services/ and views/."""

from profiles.models.account import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, Person
from profiles.models.claims import Claim, ClaimEvent, ClaimQuerySet
from profiles.models.follows import DigestOptIn, DigestSent, Follow
from profiles.models.invites import (
    INVITE_MESSAGE_MAX,
    INVITE_MESSAGE_MIN,
    INVITE_SUBJECT_MAX,
    MESSAGE_BODY_MAX,
    Block,
    Conversation,
    Invite,
    Message,
    Report,
)
from profiles.models.owner import OwnerProfile, OwnerProfileEdit, RecordMerge, WorkTransfer

__all__ = [
    "DISPLAY_NAME_MAX",
    "DISPLAY_NAME_MIN",
    "INVITE_MESSAGE_MAX",
    "INVITE_MESSAGE_MIN",
    "INVITE_SUBJECT_MAX",
    "MESSAGE_BODY_MAX",
    "Block",
    "Claim",
    "ClaimEvent",
    "ClaimQuerySet",
    "Conversation",
    "DigestOptIn",
    "DigestSent",
    "Follow",
    "Invite",
    "Message",
    "OwnerProfile",
    "OwnerProfileEdit",
    "Person",
    "RecordMerge",
    "Report",
    "WorkTransfer",
]
