"""Byline fidelity: an authorship is a work and a position, so an author OpenAlex gives at two
places of one byline keeps both, with what was printed at each, and is counted once.

No record in tests/data/openalex/shared/ repeats an author id on a byline, so the doubled
record is built from a real one: "Deep learning" (W2919115771, Nature 2015: LeCun, Bengio,
Hinton, as the Sep-Oct 2025 API gave it) with its third authorship (printed "Geoffrey Hinton",
three institutions) attributed to the second's author record (Yoshua Bengio), which is what
OpenAlex's disambiguation does when it folds two printed names into one record. Everything
else in the record is as OpenAlex gave it.
"""

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse

from graph.selectors import graph_neighbourhood_get, trust_inputs_get
from profiles.models import DigestSent
from profiles.selectors.follows import digest_items_get, feed_list
from profiles.selectors.invites import invite_focus_options
from profiles.services.claims import claim_approve, claim_request
from profiles.services.follows import follow_create
from tests.factories import make_author, make_user, make_work
from tests.works.test_import_openalex import (
    counts,
    database_state,
    pairs,
    pairs_recomputed,
    run,
)
from works.importer import import_paths
from works.importer.merges import fold_into
from works.models import Author, Authorship, AuthorshipOverride, MergedId, Work
from works.services import (
    author_links_refresh,
    authorship_include,
    authorship_override_revert,
)

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parent.parent / "data" / "openalex" / "shared"
LISTING = SHARED / "academic-explorer" / "works" / "list__page=1_per_page=50.json"
WORK_ID = "W2919115771"
LECUN, BENGIO, HINTON = "A5001226970", "A5086198262", "A5108093963"
LECUN_PLACES = ["I4210114444", "I57206974"]
BENGIO_PLACES = ["I70931966"]
HINTON_PLACES = ["I106938459", "I1291425158", "I185261750"]


def real_record() -> dict:
    results = json.loads(LISTING.read_text())["results"]
    return copy.deepcopy(next(w for w in results if w["id"].endswith(WORK_ID)))


def doubled_record(*, updated_date: str | None = None) -> dict:
    record = real_record()
    record["authorships"][2]["author"] = copy.deepcopy(record["authorships"][1]["author"])
    if updated_date:
        record["updated_date"] = updated_date
    return record


def write(tmp_path: Path, record: dict, name: str = "doubled.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(record))
    return path


@pytest.fixture
def doubled(tmp_path) -> Path:
    path = write(tmp_path, doubled_record())
    import_paths([path])
    return path


def byline() -> list[tuple]:
    return [
        (
            a.author.openalex_id,
            a.order,
            a.position,
            a.raw_author_name,
            a.is_corresponding,
            sorted(i.openalex_id for i in a.institutions.all()),
        )
        for a in Authorship.objects.filter(work__openalex_id=WORK_ID).order_by("order")
    ]


FULL_BYLINE = [
    (LECUN, 0, "first", "Yann LeCun", True, LECUN_PLACES),
    (BENGIO, 1, "middle", "Yoshua Bengio", False, BENGIO_PLACES),
    (BENGIO, 2, "last", "Geoffrey Hinton", False, HINTON_PLACES),
]


def author(openalex_id: str) -> Author:
    return Author.objects.get(openalex_id=openalex_id)


# --- the importer ------------------------------------------------------------------------


def test_it_keeps_every_byline_position_of_an_author_given_twice(doubled):
    assert byline() == FULL_BYLINE
    assert not Author.objects.filter(openalex_id=HINTON).exists()


def test_it_changes_nothing_when_the_doubled_record_comes_again(doubled):
    before = database_state()

    out, _ = run(doubled)

    assert database_state() == before
    assert counts(out)["works"]["unchanged"] == 1


def test_it_keeps_both_positions_and_when_they_came_when_a_newer_record_comes(tmp_path, doubled):
    added = set(
        Authorship.objects.filter(author__openalex_id=BENGIO).values_list("created_at", flat=True)
    )

    run(write(tmp_path, doubled_record(updated_date="2026-01-01"), "newer.json"))

    assert byline() == FULL_BYLINE
    after = set(
        Authorship.objects.filter(author__openalex_id=BENGIO).values_list("created_at", flat=True)
    )
    assert after == added


def test_it_counts_the_work_once_for_the_doubled_author(doubled):
    assert author(BENGIO).works_in_db == 1
    assert author(LECUN).works_in_db == 1
    assert pairs() == {(LECUN, BENGIO): (1, 2015), (BENGIO, LECUN): (1, 2015)}
    assert pairs() == pairs_recomputed()


def test_a_merged_id_leads_both_positions_to_one_record(tmp_path):
    # OpenAlex merged Hinton's record into Bengio's: the real record then names one record
    # at two places, and both places stay.
    MergedId.objects.create(entity="authors", old_id=HINTON, new_id=BENGIO)

    import_paths([write(tmp_path, real_record(), "real.json")])

    assert byline() == FULL_BYLINE
    assert author(BENGIO).works_in_db == 1


def test_folding_a_record_into_one_on_the_same_work_keeps_both_positions(tmp_path):
    import_paths([write(tmp_path, real_record(), "real.json")])
    hinton = author(HINTON)
    MergedId.objects.create(entity="authors", old_id=HINTON, new_id=BENGIO)

    fold_into(Author, old_pk=hinton.pk, new_id=BENGIO)

    assert byline() == FULL_BYLINE
    assert author(BENGIO).works_in_db == 1
    assert pairs() == {(LECUN, BENGIO): (1, 2015), (BENGIO, LECUN): (1, 2015)}


# --- the pages -----------------------------------------------------------------------------


def test_the_work_page_shows_what_was_printed_at_each_position(client, doubled):
    html = client.get(reverse("works:detail", args=[WORK_ID])).content.decode()

    bengio_url = f'href="/researchers/{BENGIO}/"'
    assert html.count(bengio_url) == 2
    authors = html[html.index('<ol class="author-list">') : html.index("</ol>")]
    assert authors.index("Yann LeCun") < authors.index("Yoshua Bengio")
    assert authors.index("Yoshua Bengio") < authors.index("Geoffrey Hinton")
    hinton_item = authors[authors.index("Geoffrey Hinton") :]
    assert "(printed) · attributed by OpenAlex to" in hinton_item
    assert f'<a href="/researchers/{BENGIO}/">Yoshua Bengio</a>' in hinton_item
    assert "University of Toronto" in hinton_item
    # Where the printed name is the record's name, nothing more is said.
    assert authors.count("attributed by OpenAlex") == 1


def test_the_researcher_page_lists_the_work_once_with_both_printed_names(client, doubled):
    html = client.get(reverse("profiles:detail", args=[BENGIO])).content.decode()

    assert html.count(f'href="/works/{WORK_ID}/"') == 1
    row = html[html.index('<li class="work-item">') :]
    row = row[: row.index("</li>")]
    assert "Yoshua Bengio" in row and "Geoffrey Hinton" in row
    assert "<strong>1</strong> work</li>" in html
    assert "1 published item," in html


def test_the_researchers_counts_and_graph_see_the_work_once(doubled):
    bengio = author(BENGIO)

    inputs = trust_inputs_get(author=bengio)
    assert (inputs.works_n, inputs.collaborators_n) == (1, 1)
    assert inputs.citations >= Work.objects.get(openalex_id=WORK_ID).cited_by_count
    neighbourhood = graph_neighbourhood_get(author=bengio)
    work_edges = [e for e in neighbourhood["edges"] if e[1].startswith("work:")]
    assert len(work_edges) == 2  # Bengio's and LeCun's, once each
    _, works = invite_focus_options(author=bengio)
    assert [w.openalex_id for w in works] == [WORK_ID]


def test_the_feed_and_the_digest_bring_the_work_once(tmp_path):
    reader = make_user()
    follow_create(user=reader, author=make_author(openalex_id=BENGIO, display_name="Y. Bengio"))
    follow_create(user=reader, author=make_author(openalex_id=LECUN, display_name="Y. LeCun"))

    import_paths([write(tmp_path, doubled_record())])

    assert [row.work.openalex_id for row in feed_list(user=reader)] == [WORK_ID]
    assert [row.work.openalex_id for row in digest_items_get(user=reader)] == [WORK_ID]
    assert not DigestSent.objects.exists()


# --- the owner's corrections -------------------------------------------------------------


@pytest.fixture
def owner(doubled):
    user, staff = make_user(), make_user(is_staff=True)
    claim_approve(claim=claim_request(user=user, author=author(BENGIO)), moderator=staff, reason="")
    return user


def test_not_me_takes_every_position_off_and_undo_puts_them_back(client, owner, tmp_path):
    added = dict(
        Authorship.objects.filter(author__openalex_id=BENGIO).values_list("order", "created_at")
    )
    client.force_login(owner)

    response = client.post(
        reverse("profiles:work-not-me", args=[BENGIO, WORK_ID]), {"reason": "Not mine"}
    )

    assert response.status_code == 302
    assert byline() == [FULL_BYLINE[0]]
    assert author(BENGIO).works_in_db == 0
    assert pairs() == {}
    # Kept off through a newer record of the work.
    run(write(tmp_path, doubled_record(updated_date="2026-01-01"), "newer.json"))
    assert byline() == [FULL_BYLINE[0]]

    override = AuthorshipOverride.objects.get()
    client.post(reverse("profiles:work-correction-undo", args=[BENGIO, override.pk]))

    assert byline() == FULL_BYLINE
    restored = dict(
        Authorship.objects.filter(author__openalex_id=BENGIO).values_list("order", "created_at")
    )
    assert restored == added  # not new again in the followers' feed
    assert author(BENGIO).works_in_db == 1
    assert pairs() == {(LECUN, BENGIO): (1, 2015), (BENGIO, LECUN): (1, 2015)}


def test_this_is_mine_moves_one_position_and_keeps_it_through_imports(tmp_path, doubled):
    hinton = make_author(openalex_id="ADEMO9400001", display_name="Geoffrey Hinton")
    printed_hinton = Authorship.objects.get(author__openalex_id=BENGIO, order=2)

    override = authorship_include(author=hinton, authorship=printed_hinton, user=None)

    def attributed() -> list[tuple[str, int]]:
        return [(row[0], row[1]) for row in byline()]

    moved = [(LECUN, 0), (BENGIO, 1), ("ADEMO9400001", 2)]
    assert attributed() == moved
    assert (author(BENGIO).works_in_db, author("ADEMO9400001").works_in_db) == (1, 1)
    assert pairs() == pairs_recomputed()
    assert pairs()[("ADEMO9400001", BENGIO)] == (1, 2015)

    run(write(tmp_path, doubled_record(updated_date="2026-01-01"), "newer.json"))
    assert attributed() == moved

    authorship_override_revert(override=override, user=None)
    assert byline() == FULL_BYLINE
    assert author("ADEMO9400001").works_in_db == 0
    assert pairs() == pairs_recomputed()


def test_this_is_mine_of_the_first_printed_name_moves_only_that_one(tmp_path, doubled):
    bengio_elsewhere = make_author(openalex_id="ADEMO9400002", display_name="Yoshua Bengio")
    printed_bengio = Authorship.objects.get(author__openalex_id=BENGIO, order=1)

    authorship_include(author=bengio_elsewhere, authorship=printed_bengio, user=None)
    run(write(tmp_path, doubled_record(updated_date="2026-01-01"), "newer.json"))

    assert [(row[0], row[3]) for row in byline()] == [
        (LECUN, "Yann LeCun"),
        ("ADEMO9400002", "Yoshua Bengio"),
        (BENGIO, "Geoffrey Hinton"),
    ]


# --- the same through the factories: a doubled author on hand-made works ------------------


def test_a_doubled_author_has_one_co_author_row_per_person_and_never_themselves():
    a, b = make_author(), make_author()
    work = make_work(authors=[a, b], publication_year=2020)
    Authorship.objects.create(work=work, author=a, order=2, raw_author_name="A. Namesake")

    author_links_refresh(author_ids=[a.id, b.id])

    a.refresh_from_db()
    assert a.works_in_db == 1
    assert pairs() == pairs_recomputed()
    assert pairs()[(a.openalex_id, b.openalex_id)] == (1, 2020)
    assert (a.openalex_id, a.openalex_id) not in pairs()
