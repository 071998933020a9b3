from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notices.selectors import notification_page
from notices.services import notification_mark_read


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = notification_page(user=request.user, number=request.GET.get("page"))
    notifications = list(page.object_list)
    # Seen, so read: the rows in hand keep read_at unset and still show as new on this page,
    # while the header, rendered after this, already counts them read.
    notification_mark_read(user=request.user, ids=[n.id for n in notifications if n.is_unread])
    context = {"page": page, "notifications": notifications}
    return render(request, "notices/notification_list.html", context)
