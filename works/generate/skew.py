"""The skew of a generated corpus: who writes how much, how large teams are, and which records
are deleted, merged or updated. All of it is a function of the seed, never of the clock."""

import math
import random
from dataclasses import dataclass

_MASK = (1 << 64) - 1


def unit(seed: int, salt: int, index: int) -> float:
    """A number in [0, 1) that depends only on (seed, salt, index): splitmix64. Lets a record
    decide whether it is deleted or updated without keeping a set of the chosen ones."""
    x = (seed * 0x9E3779B97F4A7C15 + salt * 0xD1B54A32D192ED03 + index) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((x ^ (x >> 31)) >> 11) / 9007199254740992.0


class PowerLaw:
    """Index k in [0, n) drawn with probability ~ 1/(k + offset): Zipf's (and Lotka's) law of
    how productive authors, venues and topics are. Sampled by inverting the continuous
    distribution, so it costs one pow() and keeps no table whatever n is."""

    def __init__(self, n: int, offset: float) -> None:
        self.n = n
        self.offset = offset
        self.ratio = (n + offset) / offset

    def draw(self, u: float) -> int:
        k = int(self.offset * self.ratio**u - self.offset)
        return k if k < self.n else self.n - 1


def author_law(n_authors: int) -> PowerLaw:
    # The offset grows with the corpus so that the most prolific author writes a few hundred
    # works at any size instead of half of a small corpus.
    return PowerLaw(n_authors, max(5.0, n_authors / 500))


# Authors per work, as in OpenAlex: mostly 1 to 10 (weights below), 4% with 11 to 99, one in
# two thousand with 100 to 999 and one in a hundred thousand with 1,000 or more.
_SMALL_TEAMS = (0.11, 0.15, 0.16, 0.14, 0.11, 0.08, 0.06, 0.04, 0.03, 0.02)
_MID_SHARE = 0.04
BIG_TEAM_EVERY = 2000
HYPER_TEAM_EVERY = 100_000
_SMALL_CUMULATIVE = [sum(_SMALL_TEAMS[: i + 1]) for i in range(len(_SMALL_TEAMS))]


def _pareto_size(u: float, low: int, high: int, exponent: float) -> int:
    """A team size in [low, high] with density ~ size^-exponent (inverse CDF)."""
    a = 1 - exponent
    size = (low**a + u * (high**a - low**a)) ** (1 / a)
    return min(high, max(low, int(size)))


def small_team_size(rng: random.Random) -> int:
    u = rng.random() * (_SMALL_CUMULATIVE[-1] + _MID_SHARE)
    for size, bound in enumerate(_SMALL_CUMULATIVE, start=1):
        if u < bound:
            return size
    return _pareto_size(rng.random(), 11, 99, 2.5)


@dataclass(frozen=True)
class BigTeam:
    size: int
    consortium: int | None = None  # hyperauthored works share the members of a consortium


def big_teams(
    rng: random.Random, *, works: int, authors: int, max_authors: int
) -> dict[int, BigTeam]:
    """Which works get 100 authors or more, and how many: placed by quota (at least one 100+
    team in any corpus of a few hundred works) rather than left to chance."""
    cap = min(max_authors, authors)
    teams: dict[int, BigTeam] = {}
    if cap < 100 or works < 1:
        return teams
    n_big = max(1, works // BIG_TEAM_EVERY)
    n_hyper = works // HYPER_TEAM_EVERY if cap >= 1000 else 0
    chosen = rng.sample(range(works), min(works, n_big + n_hyper))
    for index in chosen[:n_big]:
        teams[index] = BigTeam(_pareto_size(rng.random(), 100, min(999, cap), 2.0))
    consortia = max(1, n_hyper // 5)
    for number, index in enumerate(chosen[n_big:]):
        teams[index] = BigTeam(0, consortium=number % consortia)
    return teams


@dataclass(frozen=True)
class Consortium:
    """A large collaboration (a detector, a genome consortium): a block of authors who sign
    most of its papers together, in alphabetical order."""

    start: int
    size: int


def consortia(
    rng: random.Random, count: int, *, authors: int, max_authors: int
) -> list[Consortium]:
    result = []
    cap = min(max_authors, authors)
    for _ in range(count):
        size = _pareto_size(rng.random(), min(1000, cap), min(3000, cap), 2.0)
        # Members from the middle of the productivity ranks: prolific, not the most prolific.
        start = rng.randrange(max(1, authors - size)) if authors > size else 0
        result.append(Consortium(start, min(size, authors - start)))
    return result


def cited_by(u: float) -> int:
    """Citations: a Pareto tail (most works cited a few times, some thousands)."""
    return min(250_000, int(3 * ((1 - u) ** (-1 / 1.3) - 1)))


def publication_year(u: float, last: int) -> int:
    # Output grows about 4% a year: recent years dominate.
    return last - min(70, int(-math.log(1 - u) / 0.08))
