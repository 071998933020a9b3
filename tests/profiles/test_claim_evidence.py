"""Which email addresses count as institutional for a record (no database)."""

import pytest

from profiles.claim_evidence import email_domain_matches, institution_domains, registrable_domain


@pytest.mark.parametrize(
    "host,expected",
    [
        ("www.washington.edu", "washington.edu"),
        ("cs.washington.edu", "washington.edu"),
        ("www.cs.ox.ac.uk", "ox.ac.uk"),
        ("www.unimelb.edu.au", "unimelb.edu.au"),
        ("mit.edu", "mit.edu"),
    ],
)
def test_it_finds_the_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


def test_it_takes_domains_from_homepages_but_never_webmail():
    urls = ["https://www.washington.edu/", "http://www.gmail.com/", "", "not a url"]
    assert institution_domains(urls) == ["washington.edu"]


@pytest.mark.parametrize(
    "email,ok",
    [
        ("m@washington.edu", True),
        ("m@cs.washington.edu", True),
        ("m@CS.Washington.EDU", True),
        ("m@notwashington.edu", False),
        ("m@washington.edu.evil.example", False),
        ("m@gmail.com", False),
    ],
)
def test_it_accepts_the_domain_and_its_subdomains_only(email, ok):
    assert email_domain_matches(email, ["washington.edu"]) is ok
