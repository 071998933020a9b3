"""Which email addresses count as institutional for a record (no database): the registrable
domain of an institution's homepage comes from the Public Suffix List, so a homepage under a
public suffix (com.au, co.uk, github.io ...) never lets every address under that suffix in."""

import pytest

from profiles.claim_evidence import email_domain_matches, institution_domains, registrable_domain


@pytest.mark.parametrize(
    "host,expected",
    [
        ("www.washington.edu", "washington.edu"),
        ("cs.washington.edu", "washington.edu"),
        ("mit.edu", "mit.edu"),
        ("www.cs.ox.ac.uk", "ox.ac.uk"),
        ("www.example.co.uk", "example.co.uk"),
        ("www.example.com.au", "example.com.au"),
        ("www.unimelb.edu.au", "unimelb.edu.au"),
        ("www.example.com.cn", "example.com.cn"),
        ("www.tsinghua.edu.cn", "tsinghua.edu.cn"),
        ("www.example.com.br", "example.com.br"),
        ("www.usp.br", "usp.br"),
        ("www.u-tokyo.ac.jp", "u-tokyo.ac.jp"),
        ("www.uni-heidelberg.de", "uni-heidelberg.de"),
        ("www.unam.mx", "unam.mx"),
        ("www.example.org.mx", "example.org.mx"),
        ("someuni.github.io", "someuni.github.io"),  # a private suffix: each site its own
        ("WWW.Example.COM.AU.", "example.com.au"),
        # The host is itself a public suffix: no domain at all.
        ("com.au", ""),
        ("com.cn", ""),
        ("com.br", ""),
        ("co.uk", ""),
        ("ac.uk", ""),
        ("ac.jp", ""),
        ("edu.au", ""),
        ("github.io", ""),
        ("edu", ""),
        ("de", ""),
        ("www.com.au", "www.com.au"),  # a name registered under com.au, like any other
        ("192.0.2.1", ""),  # an address, not a domain
        ("", ""),
    ],
)
def test_it_finds_the_registrable_domain_from_the_public_suffix_list(host, expected):
    assert registrable_domain(host) == expected


def test_it_takes_domains_from_homepages_but_never_webmail():
    urls = ["https://www.washington.edu/", "http://www.gmail.com/", "", "not a url"]
    assert institution_domains(urls) == ["washington.edu"]


def test_it_takes_no_domain_from_a_homepage_at_a_public_suffix():
    urls = ["https://com.au/", "https://github.io/x", "http://co.uk", "http://[2001:db8::1]/"]
    assert institution_domains(urls) == []


@pytest.mark.parametrize(
    "homepage,email,ok",
    [
        ("https://www.example.com.au/", "me@example.com.au", True),
        ("https://www.example.com.au/", "me@dept.example.com.au", True),
        ("https://www.example.com.au/", "anyone@attacker.com.au", False),
        ("https://www.example.com.cn/", "anyone@attacker.com.cn", False),
        ("https://www.example.com.br/", "anyone@attacker.com.br", False),
        ("https://www.example.co.uk/", "anyone@attacker.co.uk", False),
        ("https://www.u-tokyo.ac.jp/", "anyone@attacker.ac.jp", False),
        ("https://someuni.github.io/", "anyone@attacker.github.io", False),
        ("https://com.au/", "anyone@com.au", False),
    ],
)
def test_it_never_accepts_an_address_elsewhere_under_the_same_public_suffix(homepage, email, ok):
    assert email_domain_matches(email, institution_domains([homepage])) is ok


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
