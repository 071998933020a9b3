"""bzpeer.compiled: a hot query compiled once gives what the queryset gives, for any value."""

import pytest
from django.db.models import Count

from bzpeer.compiled import FREE_KEY, CompiledRow
from tests.factories import make_author

pytestmark = pytest.mark.django_db


def test_it_answers_like_the_queryset_for_each_value_and_none_for_a_missing_one():
    from works.models import Author

    first = make_author(display_name="Ada First")
    second = make_author(display_name="Bo Second")
    row = CompiledRow(
        lambda openalex_id: (
            Author.objects.filter(openalex_id=openalex_id)
            .annotate(n=Count("authorships"))
            .values_list("display_name", "n")
        )
    )

    assert row.get(first.openalex_id) == ("Ada First", 0)
    assert row.get(second.openalex_id) == ("Bo Second", 0)
    assert row.get("A-NOBODY") is None


def test_it_refuses_a_queryset_that_does_not_use_its_value():
    from works.models import Author

    row = CompiledRow(lambda value: Author.objects.values_list("id"))
    with pytest.raises(ValueError, match="does not use its value"):
        row.get("A1")


def test_it_takes_a_number_for_a_key():
    from works.models import Author

    ada = make_author(display_name="Ada First")
    row = CompiledRow(
        lambda pk: Author.objects.filter(pk=pk).values_list("display_name"), free=FREE_KEY
    )

    assert row.get(ada.pk) == ("Ada First",)
    assert row.get(ada.pk + 1000) is None
