import pytest
from django.urls import reverse

from tests.factories import make_author, make_institution, make_topic, make_work
from works.models import NO_AUTHOR_ID

pytestmark = pytest.mark.django_db


def test_it_says_what_bzpeer_is_and_offers_a_search_box(client):
    response = client.get(reverse("profiles:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "BZPEER shows each researcher" in html
    assert "OpenAlex" in html
    assert f'action="{reverse("profiles:list")}"' in html
    assert 'type="search" name="q"' in html
    assert "No researchers have been imported yet." in html


def test_it_has_the_base_layout(client):
    html = client.get(reverse("profiles:home")).content.decode()

    assert 'class="brand"' in html
    assert "CC0" in html
    assert f'href="{reverse("account_login")}?next=%2F">Log in</a>' in html
    assert "htmx" in html and "unpkg" not in html and "cdn" not in html.lower()
    assert "/static/css/bzpeer.css" in html


def test_it_offers_researchers_with_the_most_works_first(client):
    busy = make_author(display_name="Busy Bee")
    quiet = make_author(display_name="Quiet Mouse")
    make_author(display_name="No Works Yet")
    placeholder = make_author(openalex_id=NO_AUTHOR_ID, display_name="Placeholder Person")
    for _ in range(3):
        make_work(authors=[busy, placeholder])
    make_work(authors=[quiet, placeholder])

    html = client.get(reverse("profiles:home")).content.decode()

    assert html.index("Busy Bee") < html.index("Quiet Mouse")
    assert "<strong>3</strong> works in our index" in html
    assert "No Works Yet" not in html
    assert "Placeholder Person" not in html


def test_it_shows_at_most_eight_starting_points(client):
    for n in range(10):
        make_work(authors=[make_author(display_name=f"Person {n}")])

    html = client.get(reverse("profiles:home")).content.decode()

    assert html.count('class="researcher-row"') == 8


def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    institution = make_institution()
    topics = [make_topic() for _ in range(5)]
    for n in range(12):
        author = make_author(last_known_institutions=[institution])
        for k in range(n + 1):
            make_work(authors=[author], topics=topics[k % 5 :][:2])

    with django_assert_max_num_queries(4):
        # 0 the stamp of kept pages (corpus version), then a fresh render:
        # 1 the eight researchers with the most works
        # 2 their last known institutions
        # 3 their top three topics (one windowed query)
        response = client.get(reverse("profiles:home"))

    assert response.status_code == 200
