"""Pages travel gzipped to clients that ask for it, and plain to those that do not."""

import gzip

import pytest

from tests.factories import make_busy_researcher

pytestmark = pytest.mark.django_db


def test_a_researcher_page_is_gzipped_for_a_client_that_accepts_it(client):
    author = make_busy_researcher(works=20, coauthors=10, topics=5)
    url = f"/researchers/{author.openalex_id}/"
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert author.display_name in html
    assert len(packed.content) < len(plain.content) / 3
