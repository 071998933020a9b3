import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from graph.models import TrustScore
from profiles.models import Follow
from tests.factories import (
    make_author,
    make_busy_researcher,
    make_institution,
    make_source,
    make_topic,
    make_work,
)
from works.models import DELETED_AUTHOR_ID, NO_AUTHOR_ID, Authorship
from works.services import author_links_refresh

pytestmark = pytest.mark.django_db


def _url(author) -> str:
    return reverse("profiles:detail", args=[author.openalex_id])


def _html(response) -> str:
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="work-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def user():
    return get_user_model().objects.create_user("reader", password="x")


# --- header ----------------------------------------------------------------------------


def test_it_shows_name_summary_from_topics_and_affiliation(client):
    uw = make_institution(display_name="University of Washington")
    author = make_author(display_name="Mitchell Wortsman", last_known_institutions=[uw])
    robust = make_topic(display_name="Adversarial Robustness in Machine Learning")
    pruning = make_topic(display_name="Neural Network Pruning")
    few_shot = make_topic(display_name="Domain Adaptation and Few-Shot Learning")
    rare = make_topic(display_name="Rarely Seen Topic")
    make_work(authors=[author], topics=[few_shot, robust, pruning])
    make_work(authors=[author], topics=[few_shot, robust])
    make_work(authors=[author], topics=[few_shot, rare])

    response = client.get(_url(author))

    assert response.status_code == 200
    html = _html(response)
    assert "<h1" in html and "Mitchell Wortsman</h1>" in html
    # The three most frequent topics, most frequent first; ties by name.
    assert (
        "Works on Domain Adaptation and Few-Shot Learning, Adversarial Robustness in Machine "
        "Learning and Neural Network Pruning" in html
    )
    assert f'<a href="{uw.get_absolute_url()}">University of Washington</a>' in html
    assert "contributes to research discovery" not in html


def test_it_says_the_affiliation_is_not_imported(client):
    author = make_author()
    make_work(authors=[author])

    html = _html(client.get(_url(author)))

    assert "Affiliation not imported" in html


def test_it_writes_a_factual_summary_from_works_when_there_are_no_topics(client):
    author = make_author()
    arxiv = make_source(display_name="arXiv")
    make_work(authors=[author], publication_year=2019, primary_source=arxiv)
    make_work(authors=[author], publication_year=2022, primary_source=arxiv)

    html = _html(client.get(_url(author)))

    assert "Author of 2 works in BZPEER&#x27;s index, 2019–2022; published in arXiv." in html


def test_it_says_so_when_no_works_are_indexed(client):
    author = make_author()

    html = _html(client.get(_url(author)))

    assert "No works by this researcher are in BZPEER&#x27;s index yet." in html
    assert "0 published items" in html


def test_it_never_claims_open_to_collaborate_for_an_unclaimed_record(client):
    author = make_author()

    html = _html(client.get(_url(author)))

    assert "Collaboration status: not set (unclaimed record)" in html
    assert "Open to collaborate" not in html


# --- trust snapshot and counts ---------------------------------------------------------


def test_it_loads_the_trust_score_on_its_own_and_never_holds_it(client):
    # The page is cached whole for anonymous visitors: the score comes from graph's panel.
    author = make_author()
    TrustScore.objects.create(
        author=author,
        score=19,
        label="Unverified",
        input_fingerprint="f",
        computed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )

    html = _html(client.get(_url(author)))

    panel = reverse("graph:trust-panel", args=[author.openalex_id])
    assert f'hx-get="{panel}" hx-trigger="load"' in html
    assert f'<a href="{panel}">See the score and why</a>' in html
    assert '<strong class="score">19</strong>' not in html


def test_it_shows_the_verification_level_and_claim_status(client):
    author = make_author()

    html = _html(client.get(_url(author)))

    assert "L1 · Public record, unclaimed" in html
    assert "Unclaimed author" in html


def test_it_counts_works_followers_topics_and_close_collaborators(client, user):
    author = make_author()
    close, also_close, once = make_author(), make_author(), make_author()
    t1, t2, t3 = make_topic(), make_topic(), make_topic()
    make_work(authors=[author, close, also_close], topics=[t1, t2])
    make_work(authors=[author, close, also_close, once], topics=[t2, t3])
    make_work(authors=[author], topics=[t1])
    Follow.objects.create(user=user, author=author)

    html = _html(client.get(_url(author)))

    assert "<li><strong>3</strong> works</li>" in html
    assert '<li id="followers-count"><strong>1</strong> follower</li>' in html
    assert "<li><strong>3</strong> topics</li>" in html
    # Two co-authors share 2 works; the third shares only one.
    assert "<li><strong>2</strong> close collaborators</li>" in html


# --- actions -----------------------------------------------------------------------------


def test_it_asks_anonymous_visitors_to_log_in_to_follow_and_claim(client):
    author = make_author()

    html = _html(client.get(_url(author)))

    login = f"{reverse('account_login')}?next=%2Fresearchers%2F{author.openalex_id}%2F"
    assert f'<a class="button" href="{login}">Log in to follow</a>' in html
    assert f'<a class="button button-secondary" href="{login}">Log in to claim</a>' in html
    assert "Claiming links this public author record to a researcher profile" in html
    assert "Claim this author entity first to unlock direct invitations." in html


def test_it_shows_logged_in_visitors_honest_actions(client, user):
    author = make_author()
    client.force_login(user)

    html = _html(client.get(_url(author)))

    assert "Log in to follow" not in html
    assert "Log in to claim" not in html
    follow = reverse("profiles:follow", args=[author.openalex_id])
    assert f'<form class="inline-form" action="{follow}" method="post" hx-post="{follow}"' in html
    assert re.search(r'<button type="submit" class="button"[^>]*>Follow researcher</button>', html)
    # This reader has no verified address yet (the claim tests cover the rest).
    assert "Verify your email address</a> to claim" in html
    # The header's visitor slot: a name, never the address (none chosen: a member number).
    assert f"BZPEER member #{user.pk}" in html


def test_it_has_a_graph_panel_that_loads_on_its_own(client):
    author = make_author()

    html = _html(client.get(_url(author)))

    panel = reverse("graph:graph-panel", args=[author.openalex_id])
    assert 'id="graph-panel"' in html
    assert "Research graph — See the researcher in context" in html
    assert f'hx-get="{panel}" hx-trigger="load"' in html
    assert f'<a href="{panel}">Open the research graph</a>' in html
    assert "every 2s" not in html


# --- topics, co-authors, institutions ----------------------------------------------------


def test_it_lists_topics_with_how_many_works_carry_each(client):
    author = make_author()
    common, rare = make_topic(display_name="Common Topic"), make_topic(display_name="Rare Topic")
    make_work(authors=[author], topics=[common, rare])
    make_work(authors=[author], topics=[common])

    html = _html(client.get(_url(author)))

    count = r' <span class="num"[^>]*>(\d+)</span>'
    common_link = f'<a href="/topics/{common.openalex_id}/">Common Topic</a>'
    rare_link = f'<a href="/topics/{rare.openalex_id}/">Rare Topic</a>'
    assert re.search(re.escape(common_link) + count, html).group(1) == "2"
    assert re.search(re.escape(rare_link) + count, html).group(1) == "1"
    assert html.index("Common Topic</a>") < html.index("Rare Topic</a>")


def test_it_lists_the_top_12_coauthors_by_shared_works(client):
    author = make_author()
    coauthors = [make_author(display_name=f"Coauthor {i:02d}") for i in range(14)]
    make_work(authors=[author, coauthors[0]], publication_year=2021)
    make_work(authors=[author, coauthors[0]], publication_year=2023)
    make_work(authors=[author, *coauthors[1:]], publication_year=2020)

    html = _html(client.get(_url(author)))

    assert "Top 12 by shared works in our index; 1 share 2 or more" in html
    top = coauthors[0]
    assert re.search(
        rf'<a href="/researchers/{top.openalex_id}/">Coauthor 00</a>\s*'
        r'<span class="num"[^>]*>2</span>\s*'
        r'<span class="meta">shared works, the latest in 2023</span>',
        html,
    )
    shown = re.findall(r'">(Coauthor \d+)</a>\s*<span class="num"', html)
    assert len(shown) == 12
    assert shown[0] == "Coauthor 00"
    every = reverse("profiles:coauthors", args=[author.openalex_id])
    assert f'<p class="see-all"><a href="{every}">All 14 co-authors</a></p>' in html


def test_it_lists_institutions_from_affiliation_and_from_works(client):
    last = make_institution(display_name="Last Known U")
    on_work = make_institution(display_name="Work Institute")
    author = make_author(last_known_institutions=[last])
    make_work(authors=[(author, [on_work])])
    make_work(authors=[(author, [on_work, last])])

    html = _html(client.get(_url(author)))

    section = html[html.index('id="institutions-heading"') :]
    assert f'<a href="/institutions/{last.openalex_id}/">Last Known U</a>' in section
    assert f'<a href="/institutions/{on_work.openalex_id}/">Work Institute</a>' in section
    assert "named on 2 of their works" in section
    assert section.index("Last Known U") < section.index("Work Institute")


# --- works -----------------------------------------------------------------------------


def test_it_lists_works_newest_first_with_authors_in_order(client):
    author = make_author(display_name="Mitchell Wortsman")
    first = make_author(display_name="Alex Fang")
    last = make_author(display_name="Ludwig Schmidt")
    venue = make_source(display_name="ICML")
    make_work(authors=[author], title="Oldest", publication_year=2019)
    make_work(
        authors=[first, author, last],
        title="Newest",
        type="preprint",
        publication_year=2022,
        primary_source=venue,
    )
    make_work(authors=[author], title="Middle", publication_year=2020)

    html = _html(client.get(_url(author)))

    assert "3 published items" in html
    assert _titles(html) == ["Newest", "Middle", "Oldest"]
    newest = html[html.index('<li class="work-item">') : html.index("Newest</a>") + 400]
    assert '<span class="tag">preprint</span>' in newest
    assert '<span class="work-year">2022</span>' in newest
    assert '<span class="work-venue">ICML</span>' in newest
    assert (
        f'<a href="/researchers/{first.openalex_id}/">Alex Fang</a>, '
        '<strong class="current-author" aria-current="page">Mitchell Wortsman</strong>, '
        f'<a href="/researchers/{last.openalex_id}/">Ludwig Schmidt</a>'
    ) in html


def _add_position(work, author, *, order: int, printed: str, institutions=()) -> None:
    """A second place of `author` on the work's byline, as OpenAlex gives it when its
    disambiguation folds two printed names into one record."""
    authorship = Authorship.objects.create(
        work=work, author=author, order=order, position="last", raw_author_name=printed
    )
    authorship.institutions.set(institutions)
    author_links_refresh(author_ids=work.authorships.values_list("author_id", flat=True))


def test_it_lists_and_counts_a_work_once_when_they_are_twice_on_its_byline(client):
    author = make_author(display_name="Rebecca Roelofs")
    coauthor = make_author(display_name="Mitchell Wortsman")
    topic = make_topic(display_name="Robust Learning")
    place = make_institution(display_name="Google Research")
    soups = make_work(authors=[coauthor, (author, [place])], topics=[topic], title="Model soups")
    _add_position(soups, author, order=2, printed="R. Roelofs", institutions=[place])
    make_work(authors=[author], title="Alone", publication_year=2020)

    html = _html(client.get(_url(author)))

    assert _titles(html) == ["Model soups", "Alone"]
    assert "<li><strong>2</strong> works</li>" in html
    assert "2 published items" in html
    assert "<li><strong>1</strong> topic</li>" in html
    count = r' <span class="num"[^>]*>(\d+)</span>'
    topic_link = f'<a href="/topics/{topic.openalex_id}/">Robust Learning</a>'
    assert re.search(re.escape(topic_link) + count, html).group(1) == "1"
    coauthor_link = f'<a href="/researchers/{coauthor.openalex_id}/">Mitchell Wortsman</a>'
    assert re.search(re.escape(coauthor_link) + r"\s*" + count.strip(), html).group(1) == "1"
    assert "named on 1 of their work</span>" in html
    # The row shows what was printed at each of their places, the record's page once.
    row = html[html.index('<li class="work-item">') :]
    row = row[: row.index("</li>")]
    assert row.count('aria-current="page"') == 2
    assert "Rebecca Roelofs" in row and "R. Roelofs" in row


@pytest.mark.parametrize("size", ["small", "large"])
def test_it_runs_a_fixed_number_of_queries_when_they_are_twice_on_bylines(
    client, django_assert_max_num_queries, size
):
    if size == "small":
        author = _small_researcher()
    else:
        author = make_busy_researcher(works=60, coauthors=40, topics=30, institutions=6)
    for work in author.works.distinct():
        _add_position(work, author, order=work.authorships.count(), printed="B. R. Namesake")

    with django_assert_max_num_queries(8):
        # the same eight queries as test_it_runs_a_fixed_number_of_queries
        response = client.get(_url(author))

    assert response.status_code == 200
    listed = re.findall(r'<h3 class="work-title"><a href="/works/([^/]+)/">', _html(response))
    author.refresh_from_db()
    assert len(listed) == len(set(listed)) == min(author.works_in_db, 20)


def test_it_links_titles_to_work_pages(client):
    author = make_author()
    work = make_work(authors=[author], title="A Linked Work")

    html = _html(client.get(_url(author)))

    assert f'<a href="/works/{work.openalex_id}/">A Linked Work</a>' in html


def test_it_does_not_link_reserved_placeholder_authors(client):
    author = make_author()
    placeholder = make_author(openalex_id=NO_AUTHOR_ID, display_name="Anonymous")
    make_work(authors=[author, placeholder])

    html = _html(client.get(_url(author)))

    assert f"/researchers/{NO_AUTHOR_ID}/" not in html
    assert "<span>Anonymous</span>" in html


def test_it_shortens_long_abstracts_behind_a_details_element(client):
    author = make_author()
    make_work(authors=[author], abstract=" ".join(f"w{i}" for i in range(100)))
    make_work(authors=[author], abstract="A short abstract.", publication_year=2000)

    html = _html(client.get(_url(author)))

    assert '<p class="abstract-short">w0 w1' in html
    assert "w44 …</p>" in html
    assert "<summary>Read the full abstract</summary>" in html
    assert "w98 w99</p>" in html  # the full text, inside <details>
    assert "<p>A short abstract.</p>" in html
    assert html.count("<details>") == 1


def test_it_shows_20_works_then_a_show_more_link(client):
    author = make_author()
    for year in range(1990, 2015):  # 25 works
        make_work(authors=[author], title=f"Work of {year}", publication_year=year)

    html = _html(client.get(_url(author)))

    titles = _titles(html)
    assert len(titles) == 20
    assert titles[0] == "Work of 2014" and titles[-1] == "Work of 1995"
    more = reverse("profiles:works-more", args=[author.openalex_id])
    assert f'href="/researchers/{author.openalex_id}/?page=2#works"' in html
    assert f'hx-get="{more}?page=2"' in html
    assert 'hx-target="#works-more"' in html
    assert 'class="button button-secondary"' in html
    assert ">Show more works</a>" in html


def test_it_says_so_past_the_last_works(client):
    author = make_author()
    make_work(authors=[author], title="Only work")

    response = client.get(f"{_url(author)}?page=999")

    assert response.status_code == 200
    html = _html(response)
    assert _titles(html) == []
    assert "No more works by this researcher in our index." in html
    assert "back to the newest" in html


def test_it_shows_the_first_places_of_a_long_byline_and_their_own(client):
    # A consortium paper with the researcher at place 120 of 150: the row names the first
    # 20, then them, then says how many more, with the work page a click away.
    author = make_author(display_name="Prolific Person")
    members = [make_author(display_name=f"Member {n:03d}") for n in range(149)]
    work = make_work(authors=[*members[:120], author, *members[120:]], title="Consortium")

    html = _html(client.get(_url(author)))

    row = html[html.index('<p class="work-authors">') :]
    row = row[: row.index("</p>")]
    names = re.findall(r">(Member \d+|Prolific Person)</", row)
    assert names == [*[f"Member {n:03d}" for n in range(20)], "Prolific Person"]
    assert (
        '<a href="/researchers/'
        f'{members[19].openalex_id}/">Member 019</a>, …, '
        '<strong class="current-author" aria-current="page">Prolific Person</strong>, '
        f'<a class="more-authors" href="{work.get_absolute_url()}">and 129 more</a>'
    ) in row


def test_it_loads_the_next_works_as_an_htmx_fragment(client):
    author = make_author()
    for year in range(1990, 2015):
        make_work(authors=[author], title=f"Work of {year}", publication_year=year)
    more = reverse("profiles:works-more", args=[author.openalex_id])

    response = client.get(f"{more}?page=2", headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = _html(response)
    assert "<html" not in html
    assert "<h1" not in html
    assert _titles(html) == [f"Work of {year}" for year in range(1994, 1989, -1)]
    assert "Show more" not in html  # nothing after these five
    assert "HX-Request" in response["Vary"]


def test_it_offers_show_more_again_in_the_fragment_when_more_follow(client):
    author = make_author()
    for n in range(45):
        make_work(authors=[author], title=f"Work {n:02d}", publication_year=1950 + n)
    more = reverse("profiles:works-more", args=[author.openalex_id])

    html = _html(client.get(f"{more}?page=2", headers={"HX-Request": "true"}))

    assert len(_titles(html)) == 20
    assert f'hx-get="{more}?page=3"' in html
    assert 'id="works-more"' in html


def test_it_serves_the_next_works_without_javascript(client):
    author = make_author()
    for year in range(1990, 2015):
        make_work(authors=[author], title=f"Work of {year}", publication_year=year)
    more = reverse("profiles:works-more", args=[author.openalex_id])

    # The link's href is the researcher page at step 2: a full page.
    response = client.get(f"{_url(author)}?page=2")
    # The fragment URL itself, opened without htmx, leads there too.
    redirect = client.get(f"{more}?page=2")

    html = _html(response)
    assert "<html" in html
    assert _titles(html) == [f"Work of {year}" for year in range(1994, 1989, -1)]
    assert "back to the newest" in html
    assert redirect.status_code == 302
    assert redirect["Location"] == f"{_url(author)}?page=2#works"


def test_it_gives_a_history_restore_the_full_page_not_a_fragment(client):
    author = make_author()
    make_work(authors=[author])
    more = reverse("profiles:works-more", args=[author.openalex_id])
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    response = client.get(f"{more}?page=1", headers=restore)

    assert response.status_code == 302
    assert "HX-Request" in response["Vary"]


def test_it_varies_the_page_on_hx_request(client):
    author = make_author()

    response = client.get(_url(author))

    assert "HX-Request" in response["Vary"]


def test_it_treats_a_bad_page_number_as_the_first(client):
    author = make_author()
    make_work(authors=[author], title="Only work")

    html = _html(client.get(f"{_url(author)}?page=abc"))

    assert _titles(html) == ["Only work"]


# --- ids, ORCID, 404 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "0000-0002-1825-0097",
        "https%3A%2F%2Forcid.org%2F0000-0002-1825-0097",
        "https:/orcid.org/0000-0002-1825-0097",
        "orcid.org/0000-0002-1825-0097",
        "0000000218250097",
    ],
)
def test_it_redirects_an_orcid_to_the_researcher_page(client, written):
    make_author(orcid="0000-0001-5109-3700")  # someone else
    author = make_author(orcid="0000-0002-1825-0097")

    response = client.get(f"/researchers/{written}/")

    assert response.status_code == 302
    assert response["Location"] == _url(author)


def test_it_reads_a_lower_case_orcid_check_digit(client):
    author = make_author(orcid="0000-0002-9079-593X")

    response = client.get("/researchers/0000-0002-9079-593x/")

    assert response["Location"] == _url(author)


def test_it_gives_404_for_an_unknown_orcid(client):
    response = client.get("/researchers/0000-0002-1825-0097/")

    assert response.status_code == 404


def test_it_gives_a_404_page_for_an_unknown_id(client):
    response = client.get("/researchers/A123456789/")

    assert response.status_code == 404
    html = _html(response)
    assert "Page not found" in html
    assert 'class="brand"' in html  # the base layout


@pytest.mark.parametrize("reserved_id", [NO_AUTHOR_ID, DELETED_AUTHOR_ID])
def test_it_gives_404_for_reserved_author_ids(client, reserved_id):
    make_author(openalex_id=reserved_id, display_name="Placeholder")

    assert client.get(f"/researchers/{reserved_id}/").status_code == 404
    more = reverse("profiles:works-more", args=[reserved_id])
    assert client.get(more, headers={"HX-Request": "true"}).status_code == 404


def test_it_refuses_post(client):
    author = make_author()

    assert client.post(_url(author)).status_code == 405


# --- query counts --------------------------------------------------------------------------


def _small_researcher():
    author = make_author(last_known_institutions=[make_institution()])
    coauthor = make_author()
    for n in range(3):
        make_work(authors=[author, coauthor], topics=[make_topic()], publication_year=2000 + n)
    return author


@pytest.mark.parametrize("size", ["small", "large"])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    if size == "small":
        author = _small_researcher()
    else:
        author = make_busy_researcher(works=60, coauthors=40, topics=30, institutions=6)
    url = _url(author)

    with django_assert_max_num_queries(8):
        # 1 the page's cache stamp (author id, corpus version, followers, trust time): a miss
        # 2 the author with followers/co-author/close-collaborator counts (subqueries)
        # 3 their last known institutions
        # 4 their top topics with works per topic, and how many topics in all
        # 5 their top 12 co-authors
        # 6 the institutions on their authorships
        # 7 the first 21 works, venue joined, with how many places of each byline are not shown
        # 8 the first authorships (with authors) of those 20 works, and the researcher's own
        response = client.get(url)

    assert response.status_code == 200

    with django_assert_max_num_queries(1):
        # 1 the cache stamp, which has not changed: the page comes from the cache
        cached = client.get(url)

    assert cached.content == response.content


@pytest.mark.parametrize("byline", [5, 300])
def test_it_keeps_the_page_and_its_queries_the_same_for_a_long_byline(
    client, django_assert_max_num_queries, byline
):
    # The researcher last on a byline of 5 or of 300: the same queries, about the same page.
    author = make_author(display_name="Last Author")
    others = [make_author(display_name=f"Member {n:03d}") for n in range(byline - 1)]
    topic = make_topic()
    make_work(authors=[*others, author], title="The long one", topics=[topic])
    make_work(authors=[author, *others[:3]], title="Short", publication_year=2000, topics=[topic])

    with django_assert_max_num_queries(8):
        # the same eight queries as test_it_runs_a_fixed_number_of_queries
        response = client.get(_url(author))

    html = _html(response)
    row = html[html.index('<p class="work-authors">') :]
    row = row[: row.index("</p>")]
    assert row.count("/researchers/") == min(byline - 1, 20)
    assert ('aria-current="page">Last Author</strong>') in row
    assert ("and 279 more</a>" in row) == (byline == 300)
    assert len(response.content) < 15_000  # all 300 names: some 25 KB


@pytest.mark.parametrize("size", ["small", "large"])
def test_it_runs_a_fixed_number_of_queries_for_show_more(
    client, django_assert_max_num_queries, size
):
    if size == "small":
        author = _small_researcher()
    else:
        author = make_busy_researcher(works=60, coauthors=40, topics=30)
    more = reverse("profiles:works-more", args=[author.openalex_id])

    with django_assert_max_num_queries(3):
        # 1 the author's id
        # 2 the next 21 works, venue joined
        # 3 the authorships (with authors) of those works
        response = client.get(f"{more}?page=2", headers={"HX-Request": "true"})

    assert response.status_code == 200


def test_it_adds_the_session_user_and_claim_panel_for_a_logged_in_visitor(
    client, user, django_assert_max_num_queries
):
    author = make_busy_researcher(works=30, coauthors=20, topics=10)
    client.force_login(user)

    with django_assert_max_num_queries(15):
        # 1-8 as for an anonymous visitor, plus
        # 9 the session, 10 the user,
        # 11 the claims of this record or this visitor, 12 the visitor's verified address,
        # 13 the email domains of the record's institutions (the claim panel),
        # 14 whether this visitor follows the researcher (the follow panel),
        # 15 the visitor's unread notifications (the header)
        response = client.get(_url(author))

    assert response.status_code == 200


def test_it_links_a_real_record_to_openalex_and_marks_a_demo_one(client):
    real = make_author(openalex_id="A5023888391", display_name="Jason Priem")
    demo = make_author(display_name="Demo Person")

    real_html = client.get(_url(real)).content.decode()
    demo_html = client.get(_url(demo)).content.decode()

    assert 'href="https://openalex.org/A5023888391"' in real_html
    assert "demo record, not in OpenAlex" not in real_html
    assert "openalex.org/ADEMO" not in demo_html
    assert "demo record, not in OpenAlex" in demo_html
