"""The trust score: pure functions from plain inputs to named components, points and a label.

No ORM here: graph/selectors.py gathers TrustInputs, graph/services.py stores the result, and
the tests build TrustInputs by hand. /about/trust/ (templates/about/trust.html) explains the
same method in words; change both together.

Every component has a weight (the most points it can give), the points it gave and the
evidence it counted, one line per fact, so "Why 19?" can be answered line by line. An input
BZPEER does not record yet (reports against a record) is None: it counts 0 and its evidence
says that it is not recorded yet, rather than pretending to know.
"""

import math
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class TrustInputs:
    is_claimed: bool
    verification_level: int  # 1 public record, 2 claimed, 3 and up verified
    verification_label: str
    orcid: str
    has_affiliation: bool
    works_n: int
    works_with_doi_n: int
    years_n: int  # distinct publication years
    first_year: int | None
    last_year: int | None
    venues_n: int
    citations: int
    followers_n: int
    collaborators_n: int
    is_pending: bool = False  # a claim made, not yet proven
    # None: not recorded by BZPEER yet (see the module docstring).
    trusted_collaborators_n: int | None = None
    disputes_n: int | None = None
    reports_n: int | None = None


@dataclass(frozen=True)
class Component:
    key: str
    name: str
    weight: int
    points: float
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Band:
    label: str
    floor: int
    meaning: str


# Highest floor first. "Verified" also needs a verified identity (see trust_label).
BANDS = [
    Band("Verified", 80, "A verified researcher with a full, well-connected public record."),
    Band("Established", 55, "A substantial public record, consistent over years and venues."),
    Band("Emerging", 30, "Some public record to go on, but thin or not yet confirmed."),
    Band("Unverified", 0, "Little to go on yet: nobody has confirmed who this record is."),
]
VERIFIED_LEVEL = 3
NEGATIVES_FLOOR = -30


def _share(value: float, cap: float) -> float:
    return min(max(value, 0), cap) / cap


def _pts(value: float) -> float:
    return round(value, 1)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def identity(inputs: TrustInputs) -> Component:
    evidence = []
    if inputs.verification_level >= VERIFIED_LEVEL:
        claim = 20
        evidence.append(f"Identity verified ({inputs.verification_label}): +20")
    elif inputs.is_claimed:
        claim = 12
        evidence.append(f"Record claimed, not yet verified ({inputs.verification_label}): +12")
    elif inputs.is_pending:
        claim = 0
        evidence.append(f"A claim is pending, not yet proven ({inputs.verification_label}): 0")
    else:
        claim = 0
        evidence.append(f"Nobody has claimed this record ({inputs.verification_label}): 0")
    orcid = 10 if inputs.orcid else 0
    evidence.append(
        f"ORCID iD {inputs.orcid} on the record: +10" if inputs.orcid else "No ORCID iD: 0"
    )
    return Component("identity", "Identity", 30, _pts(claim + orcid), evidence)


def completeness(inputs: TrustInputs) -> Component:
    affiliation = 7 if inputs.has_affiliation else 0
    orcid = 5 if inputs.orcid else 0
    doi_share = inputs.works_with_doi_n / inputs.works_n if inputs.works_n else 0
    dois = 8 * doi_share
    evidence = [
        "Affiliation on the record: +7" if affiliation else "No affiliation imported: 0",
        "ORCID iD on the record: +5" if orcid else "No ORCID iD: 0",
        f"{inputs.works_with_doi_n} of {_plural(inputs.works_n, 'work')} with a DOI: +{_pts(dois)}",
    ]
    return Component(
        "completeness", "Record completeness", 20, _pts(affiliation + orcid + dois), evidence
    )


def footprint(inputs: TrustInputs) -> Component:
    works = 10 * _share(inputs.works_n, 20)
    years = 8 * _share(inputs.years_n, 10)
    venues = 6 * _share(inputs.venues_n, 5)
    # Citations on a log scale: 10,000 citations is the top, 10 already counts for something.
    citations = 6 * _share(math.log10(inputs.citations + 1), 4)
    span = (
        f", {inputs.first_year}–{inputs.last_year}"
        if inputs.first_year and inputs.last_year and inputs.first_year != inputs.last_year
        else ""
    )
    evidence = [
        f"{_plural(inputs.works_n, 'work')} in BZPEER's index (20 or more for full points): "
        f"+{_pts(works)}",
        f"Published in {_plural(inputs.years_n, 'year')}{span} (10 or more for full points): "
        f"+{_pts(years)}",
        f"{_plural(inputs.venues_n, 'venue')} (5 or more for full points): +{_pts(venues)}",
        f"{_plural(inputs.citations, 'citation')} (log scale, 10,000 for full points): "
        f"+{_pts(citations)}",
    ]
    return Component(
        "footprint", "Scholarly footprint", 30, _pts(works + years + venues + citations), evidence
    )


def community(inputs: TrustInputs) -> Component:
    followers = 6 * _share(inputs.followers_n, 10)
    collaborators = 6 * _share(inputs.collaborators_n, 20)
    evidence = [
        f"{_plural(inputs.followers_n, 'follower')} on BZPEER (10 or more for full points): "
        f"+{_pts(followers)}",
        f"{_plural(inputs.collaborators_n, 'co-author')} in BZPEER's index (20 or more for full "
        f"points): +{_pts(collaborators)}",
    ]
    if inputs.trusted_collaborators_n is None:
        trusted = 0.0
        evidence.append("Co-authors who claimed or verified their records: not recorded yet, 0")
    else:
        trusted = 8 * _share(inputs.trusted_collaborators_n, 5)
        evidence.append(
            f"{_plural(inputs.trusted_collaborators_n, 'co-author')} who claimed or verified "
            f"their records (5 or more for full points): +{_pts(trusted)}"
        )
    return Component(
        "community", "Community", 20, _pts(followers + collaborators + trusted), evidence
    )


def negatives(inputs: TrustInputs) -> Component:
    evidence = []
    points = 0.0
    for n, word, each in ((inputs.disputes_n, "dispute", 15), (inputs.reports_n, "report", 5)):
        if n is None:
            evidence.append(f"Open {word}s: not recorded yet, 0")
        else:
            points -= each * n
            lost = f"−{each * n}" if n else "0"
            evidence.append(f"{_plural(n, f'open {word}')} (−{each} each): {lost}")
    # Negatives can pull a score down a long way but never below zero on their own weight.
    return Component(
        "negatives",
        "Disputes and reports",
        NEGATIVES_FLOOR,
        _pts(max(points, NEGATIVES_FLOOR)),
        evidence,
    )


def trust_components(inputs: TrustInputs) -> list[Component]:
    return [f(inputs) for f in (identity, completeness, footprint, community, negatives)]


def trust_label(score: int, *, verification_level: int) -> Band:
    for band in BANDS:
        if score >= band.floor:
            if band.label == "Verified" and verification_level < VERIFIED_LEVEL:
                continue  # a high score without a verified identity stays "Established"
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class TrustResult:
    score: int
    band: Band
    components: list[Component]

    def components_json(self) -> list[dict]:
        return [asdict(c) for c in self.components]


def trust_score(inputs: TrustInputs) -> TrustResult:
    components = trust_components(inputs)
    # Half up, as people round (Python's round() would make 42.5 into 42).
    score = min(100, max(0, math.floor(sum(c.points for c in components) + 0.5)))
    band = trust_label(score, verification_level=inputs.verification_level)
    return TrustResult(score=score, band=band, components=components)
