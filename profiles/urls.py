from django.urls import path, re_path

from . import claim_views, follow_views, invite_views, owner_views, views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("researchers/", views.researcher_list, name="list"),
    path("researchers/<str:author_id>/", views.researcher_detail, name="detail"),
    path("researchers/<str:author_id>/works/", views.researcher_works_more, name="works-more"),
    path("researchers/<str:author_id>/follow/", follow_views.follow, name="follow"),
    path("researchers/<str:author_id>/unfollow/", follow_views.unfollow, name="unfollow"),
    path("researchers/<str:author_id>/claim/", claim_views.claim_create, name="claim"),
    path(
        "researchers/<str:author_id>/works/<str:work_id>/not-me/",
        owner_views.work_not_me,
        name="work-not-me",
    ),
    path(
        "researchers/<str:author_id>/corrections/<int:override_id>/undo/",
        owner_views.work_correction_undo,
        name="work-correction-undo",
    ),
    path("researchers/<str:author_id>/add-work/", owner_views.work_add, name="work-add"),
    path("researchers/<str:author_id>/merge/", owner_views.record_merge, name="record-merge"),
    path(
        "researchers/<str:author_id>/profile/", owner_views.owner_profile_edit, name="owner-profile"
    ),
    path(
        "researchers/<str:author_id>/add-work/<int:authorship_id>/",
        owner_views.work_add_authorship,
        name="work-add-authorship",
    ),
    path("researchers/<str:author_id>/invite/", invite_views.invite_new, name="invite-new"),
    path("following/", follow_views.following, name="following"),
    path("following/digest/", follow_views.following_digest, name="following-digest"),
    path("inbox/", invite_views.inbox, name="inbox"),
    path("invites/<int:invite_id>/", invite_views.invite_detail, name="invite"),
    path("invites/<int:invite_id>/accept/", invite_views.invite_accept_view, name="invite-accept"),
    path(
        "invites/<int:invite_id>/decline/", invite_views.invite_decline_view, name="invite-decline"
    ),
    path("invites/<int:invite_id>/block/", invite_views.invite_block_view, name="invite-block"),
    path("invites/<int:invite_id>/report/", invite_views.invite_report_view, name="invite-report"),
    path(
        "conversations/<int:conversation_id>/",
        invite_views.conversation_detail,
        name="conversation",
    ),
    path(
        "conversations/<int:conversation_id>/messages/",
        invite_views.message_create,
        name="message-create",
    ),
    path("messages/<int:message_id>/report/", invite_views.message_report, name="message-report"),
    path("claims/<int:claim_id>/evidence/", claim_views.claim_evidence, name="claim-evidence"),
    path("claims/verify/<str:token>/", claim_views.claim_verify, name="claim-verify"),
    path("claims/<int:claim_id>/orcid/", claim_views.claim_orcid, name="claim-orcid"),
    path("claims/<int:claim_id>/release/", claim_views.claim_release_view, name="claim-release"),
    path("claims/<int:claim_id>/dispute/", claim_views.claim_dispute_view, name="claim-dispute"),
    path("claims/<int:claim_id>/decide/", claim_views.claim_decide, name="claim-decide"),
    path("claims/review/", claim_views.claim_review, name="claim-review"),
    # An ORCID iD URL in place of the id ("https%3A%2F%2Forcid.org%2F…" arrives decoded, with
    # its slashes, sometimes merged by a proxy): the view redirects to the record's page.
    re_path(
        r"^researchers/(?P<author_id>(?:https?:/{1,2})?(?:www\.)?orcid\.org/[^/]+)/?$",
        views.researcher_detail,
        name="detail-orcid",
    ),
]
