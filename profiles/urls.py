from django.urls import path, re_path

from profiles import sitemaps
from profiles.views import (
    account,
    account_data,
    claims,
    follows,
    invites,
    owner,
    refresh,
    researcher,
    search,
    staff_reports,
    visibility,
)

app_name = "profiles"
urlpatterns = [
    path("", search.home, name="home"),
    path("researchers/", search.researcher_list, name="list"),
    path("researchers/<str:author_id>/", researcher.researcher_detail, name="detail"),
    path("researchers/<str:author_id>/works/", researcher.researcher_works_more, name="works-more"),
    path(
        "researchers/<str:author_id>/coauthors/", researcher.researcher_coauthors, name="coauthors"
    ),
    path("researchers/<str:author_id>/topics/", researcher.researcher_topics, name="topics"),
    path("researchers/<str:author_id>/follow/", follows.follow, name="follow"),
    path("researchers/<str:author_id>/unfollow/", follows.unfollow, name="unfollow"),
    path("researchers/<str:author_id>/claim/", claims.claim_create, name="claim"),
    path(
        "researchers/<str:author_id>/works/<str:work_id>/not-me/",
        owner.work_not_me,
        name="work-not-me",
    ),
    path(
        "researchers/<str:author_id>/corrections/<int:override_id>/undo/",
        owner.work_correction_undo,
        name="work-correction-undo",
    ),
    path("researchers/<str:author_id>/add-work/", owner.work_add, name="work-add"),
    path("researchers/<str:author_id>/merge/", owner.record_merge, name="record-merge"),
    path("researchers/<str:author_id>/profile/", owner.owner_profile_edit, name="owner-profile"),
    path("researchers/<str:author_id>/refresh/", refresh.record_refresh, name="record-refresh"),
    path(
        "researchers/<str:author_id>/add-work/<int:authorship_id>/",
        owner.work_add_authorship,
        name="work-add-authorship",
    ),
    path("merges/<int:merge_id>/undo/", owner.record_merge_undo, name="record-merge-undo"),
    path("transfers/<int:transfer_id>/", owner.work_transfer, name="work-transfer"),
    path(
        "transfers/<int:transfer_id>/decide/",
        owner.work_transfer_decide_view,
        name="work-transfer-decide",
    ),
    path("researchers/<str:author_id>/invite/", invites.invite_new, name="invite-new"),
    path("following/", follows.following, name="following"),
    path("following/digest/", follows.following_digest, name="following-digest"),
    path("inbox/", invites.inbox, name="inbox"),
    path("invites/<int:invite_id>/", invites.invite_detail, name="invite"),
    path("invites/<int:invite_id>/accept/", invites.invite_accept_view, name="invite-accept"),
    path("invites/<int:invite_id>/decline/", invites.invite_decline_view, name="invite-decline"),
    path("invites/<int:invite_id>/block/", invites.invite_block_view, name="invite-block"),
    path("invites/<int:invite_id>/report/", invites.invite_report_view, name="invite-report"),
    path(
        "conversations/<int:conversation_id>/",
        invites.conversation_detail,
        name="conversation",
    ),
    path(
        "conversations/<int:conversation_id>/messages/",
        invites.message_create,
        name="message-create",
    ),
    path("messages/<int:message_id>/report/", invites.message_report, name="message-report"),
    path(
        "conversations/<int:conversation_id>/new/",
        invites.conversation_new,
        name="conversation-new",
    ),
    path("account/", account.account, name="account"),
    path("claims/<int:claim_id>/evidence/", claims.claim_evidence, name="claim-evidence"),
    path("claims/verify/<str:token>/", claims.claim_verify, name="claim-verify"),
    path("claims/<int:claim_id>/orcid/", claims.claim_orcid, name="claim-orcid"),
    path("claims/<int:claim_id>/release/", claims.claim_release_view, name="claim-release"),
    path("claims/<int:claim_id>/dispute/", claims.claim_dispute_view, name="claim-dispute"),
    path("claims/<int:claim_id>/decide/", claims.claim_decide, name="claim-decide"),
    path("claims/review/", claims.claim_review, name="claim-review"),
    # An ORCID iD URL in place of the id ("https%3A%2F%2Forcid.org%2F…" arrives decoded, with
    # its slashes, sometimes merged by a proxy): the view redirects to the record's page.
    re_path(
        r"^researchers/(?P<author_id>(?:https?:/{1,2})?(?:www\.)?orcid\.org/[^/]+)/?$",
        researcher.researcher_detail,
        name="detail-orcid",
    ),
    path("researchers/<str:author_id>/claim/confirm/", claims.claim_confirm, name="claim-confirm"),
    path(
        "researchers/<str:author_id>/add-work/<int:authorship_id>/confirm/",
        owner.work_add_authorship_confirm,
        name="work-add-authorship-confirm",
    ),
    path("staff/reports/", staff_reports.reports, name="reports"),
    path(
        "staff/reports/<int:report_id>/resolve/",
        staff_reports.report_resolve_view,
        name="report-resolve",
    ),
    # The person's control over their data (issue 13 item 3).
    path("researchers/<str:author_id>/hide/", visibility.page_hide, name="page-hide"),
    path("researchers/<str:author_id>/unhide/", visibility.page_unhide, name="page-unhide"),
    path("account/data/", account_data.account_data, name="account-data"),
    path(
        "account/data/download/",
        account_data.account_data_download,
        name="account-data-download",
    ),
    path("account/delete/", account_data.account_delete_confirm, name="account-delete"),
    # For search engines (profiles.sitemaps): at the site's root, as they look for them.
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
]
