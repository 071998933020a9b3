"""graph/trust.py on hand-made inputs: no database."""

from dataclasses import replace

from graph.trust import TrustInputs, trust_score

UNCLAIMED = TrustInputs(
    is_claimed=False,
    verification_level=1,
    verification_label="Public record, unclaimed",
    orcid="",
    has_affiliation=True,
    works_n=5,
    works_with_doi_n=5,
    years_n=2,
    first_year=2020,
    last_year=2022,
    venues_n=2,
    citations=0,
    followers_n=0,
    collaborators_n=24,
)


def _component(result, key):
    return next(c for c in result.components if c.key == key)


def test_it_scores_an_unclaimed_record_without_orcid_as_unverified():
    result = trust_score(UNCLAIMED)

    assert result.score == 28  # 0 + 15 + 6.5 + 6 + 0
    assert result.band.label == "Unverified"
    identity = _component(result, "identity")
    assert identity.points == 0
    assert "Nobody has claimed this record (Public record, unclaimed): 0" in identity.evidence
    assert "No ORCID iD: 0" in identity.evidence


def test_it_gives_points_for_an_orcid_in_identity_and_completeness():
    result = trust_score(replace(UNCLAIMED, orcid="0000-0002-1825-0097"))

    assert _component(result, "identity").points == 10
    assert "ORCID iD 0000-0002-1825-0097 on the record: +10" in (
        _component(result, "identity").evidence
    )
    assert _component(result, "completeness").points == 20
    assert result.score == 28 + 15
    assert result.band.label == "Emerging"


def test_it_gives_more_to_a_verified_claim_than_to_a_claim():
    claimed = trust_score(replace(UNCLAIMED, is_claimed=True, verification_level=2))
    verified = trust_score(replace(UNCLAIMED, is_claimed=True, verification_level=3))

    assert _component(claimed, "identity").points == 12
    assert _component(verified, "identity").points == 20
    assert claimed.score == 28 + 12
    assert verified.score == 28 + 20


def test_it_keeps_a_high_score_without_verified_identity_out_of_the_verified_band():
    full = replace(
        UNCLAIMED,
        is_claimed=True,
        verification_level=2,
        orcid="0000-0002-1825-0097",
        works_n=40,
        works_with_doi_n=40,
        years_n=15,
        venues_n=9,
        citations=20_000,
        followers_n=30,
        trusted_collaborators_n=8,
    )

    claimed = trust_score(full)
    verified = trust_score(replace(full, verification_level=3))

    assert claimed.score == 92
    assert claimed.band.label == "Established"
    assert verified.score == 100
    assert verified.band.label == "Verified"


def test_it_takes_points_off_for_disputes_and_reports_down_to_a_floor():
    one = trust_score(replace(UNCLAIMED, disputes_n=1, reports_n=0))
    many = trust_score(replace(UNCLAIMED, disputes_n=3, reports_n=4))

    assert _component(one, "negatives").points == -15
    assert "1 open dispute (−15 each): −15" in _component(one, "negatives").evidence
    assert one.score == 28 - 15
    assert _component(many, "negatives").points == -30
    assert many.score == 0


def test_it_says_which_inputs_are_not_recorded_yet():
    result = trust_score(UNCLAIMED)

    assert "Open disputes: not recorded yet, 0" in _component(result, "negatives").evidence
    assert (
        "Co-authors who claimed or verified their records: not recorded yet, 0"
        in _component(result, "community").evidence
    )


def test_every_component_has_a_weight_points_and_evidence():
    result = trust_score(UNCLAIMED)

    assert [c.key for c in result.components] == [
        "identity",
        "completeness",
        "footprint",
        "community",
        "negatives",
    ]
    assert sum(c.weight for c in result.components if c.weight > 0) == 100
    for row in result.components_json():
        assert set(row) == {"key", "name", "weight", "points", "evidence"}
        assert row["evidence"]
