"""What counts as an institutional email for a record: pure functions, no database."""

import functools
import ipaddress
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

# Webmail domains are never an institution's, whatever a record's homepage says.
FREE_MAIL = frozenset(
    {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
     "qq.com", "163.com", "proton.me", "protonmail.com", "gmx.de", "mail.ru", "yandex.ru"}
)  # fmt: skip


@functools.cache
def _public_suffix_list() -> PublicSuffixList:
    # The list the package ships (read once per process, no network): ICANN suffixes such as
    # com.au and ac.uk, and private ones such as github.io, where every name is its own site.
    return PublicSuffixList()


def registrable_domain(host: str) -> str:
    """The domain a registrant holds, from the Public Suffix List: "www.cs.ox.ac.uk" ->
    "ox.ac.uk", "www.example.com.au" -> "example.com.au". "" for a host that is itself a
    public suffix ("com.au", "github.io", "edu") or an IP address: no address proves
    anything there."""
    host = host.lower().strip().strip(".")
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return ""
    # accept_unknown=False: a name under a TLD the list does not know is no domain either.
    return _public_suffix_list().privatesuffix(host, accept_unknown=False) or ""


def institution_domains(homepage_urls: list[str]) -> list[str]:
    """The registrable domains of an author's institutions, from their homepages."""
    domains = set()
    for url in homepage_urls:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # a malformed URL (an unclosed IPv6 bracket) names no domain
            continue
        domain = registrable_domain(host)
        if domain and domain not in FREE_MAIL:
            domains.add(domain)
    return sorted(domains)


def email_domain_matches(email: str, domains: list[str]) -> bool:
    """True when the address is at one of the domains or a subdomain of one."""
    host = email.rpartition("@")[2].lower().strip(".")
    return any(host == d or host.endswith(f".{d}") for d in domains)
