"""Which researcher pages their owners asked to hide: such a page says only that, and stays
out of search, the sitemaps and the API's author records (profiles.services.visibility)."""

from django.db.models import OuterRef, QuerySet, Subquery

from profiles.models import OwnerProfile


def hidden_author_ids() -> QuerySet:
    """The ids of the authors whose page is hidden, as a values_list queryset for
    `filter(pk__in=...)` / `exclude(author_id__in=...)` subqueries."""
    return OwnerProfile.objects.filter(hidden_at__isnull=False).values_list("author_id", flat=True)


def exclude_hidden(qs: QuerySet, field: str = "pk") -> QuerySet:
    """`qs` without the rows whose author (`field`: the author's id in qs's rows, "pk" for an
    Author queryset, "author_id" for one that points at authors) has a hidden page.
    A scalar subquery per row, probing the owner profile's unique author index: unlike NOT
    EXISTS (an anti-join to the planner) it leaves the plan of `qs` as it was, so a search
    stays served by its own indexes (tests/profiles/test_researcher_search.py EXPLAINs it);
    it adds no column, so UNION branches keep their shape."""
    hidden_at = OwnerProfile.objects.filter(author_id=OuterRef(field)).values("hidden_at")[:1]
    return qs.alias(page_hidden_at=Subquery(hidden_at)).filter(page_hidden_at__isnull=True)


def author_is_hidden(*, author_id: int) -> bool:
    return OwnerProfile.objects.filter(author_id=author_id, hidden_at__isnull=False).exists()
