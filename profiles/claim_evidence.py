"""What counts as an institutional email for a record: pure functions, no database."""

from urllib.parse import urlsplit

# Second-level labels under which institutions register (cs.ox.ac.uk -> ox.ac.uk); without
# the Public Suffix List a short label under a two-letter country code is such a label.
_SECOND_LEVEL = {"ac", "edu", "co", "gov", "org", "net", "res", "uni", "gob"}

# Webmail domains are never an institution's, whatever a record's homepage says.
FREE_MAIL = frozenset(
    {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
     "qq.com", "163.com", "proton.me", "protonmail.com", "gmx.de", "mail.ru", "yandex.ru"}
)  # fmt: skip


def registrable_domain(host: str) -> str:
    """ "www.cs.washington.edu" -> "washington.edu"; "www.cs.ox.ac.uk" -> "ox.ac.uk"."""
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if labels[:1] == ["www"]:
        labels = labels[1:]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def institution_domains(homepage_urls: list[str]) -> list[str]:
    """The registrable domains of an author's institutions, from their homepages."""
    domains = set()
    for url in homepage_urls:
        host = urlsplit(url).hostname or ""
        domain = registrable_domain(host) if "." in host else ""
        if domain and domain not in FREE_MAIL:
            domains.add(domain)
    return sorted(domains)


def email_domain_matches(email: str, domains: list[str]) -> bool:
    """True when the address is at one of the domains or a subdomain of one."""
    host = email.rpartition("@")[2].lower().strip(".")
    return any(host == d or host.endswith(f".{d}") for d in domains)
