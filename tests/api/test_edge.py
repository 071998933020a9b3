"""What the API answers at its edges: every bad parameter a 400 in OpenAlex's words (never a
500), unknown ids 404, writes 405, too many requests 429 with Retry-After, read-only CORS,
and ETag / 304."""

import os
import uuid

import pytest
from django.test import Client
from redis import Redis

from tests.factories import make_author, make_work

pytestmark = pytest.mark.django_db

INVALID = "Invalid query parameters error."


@pytest.fixture
def author():
    author = make_author(display_name="Ada Example")
    make_work(authors=[author])
    return author


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/works?filter=nope:1", "nope is not a valid field. Valid fields are"),
        ("/api/works?filter=publication_year", "a filter looks like filter=field:value"),
        (
            "/api/works?filter=publication_year:abc",
            "Value for param publication_year must be a number",
        ),
        ("/api/works?filter=publication_year:-", "must be a number"),
        ("/api/works?filter=publication_year:99999999999999999999", "must be a number"),
        ("/api/works?filter=publication_year:²", "must be a number"),
        ("/api/works?filter=is_oa:maybe", "must be true or false"),
        ("/api/works?filter=type:", "Value for filter type is empty"),
        ("/api/works?filter=from_publication_date:2020-13-01", "must be a date"),
        ("/api/works?filter=author.id:W123", "'W123' is not a valid OpenAlex ID"),
        ("/api/works?filter=author.id:x" + "|x" * 100, "Too many values"),
        ("/api/authors?filter=last_known_institutions.id:A1", "is not a valid OpenAlex ID"),
        ("/api/works?per-page=201", "per-page parameter must be between 1 and 200"),
        ("/api/works?per-page=0", "per-page parameter must be between 1 and 200"),
        ("/api/works?per-page=ten", "Param per-page must be a number"),
        ("/api/works?page=x", "Param page must be a number"),
        ("/api/works?page=0", "page parameter must be 1 or more"),
        ("/api/works?page=51&per-page=200", "Maximum results size of 10,000 records"),
        ("/api/works?page=10001", "Maximum results size of 10,000 records"),
        ("/api/works?cursor=garbage", "Invalid cursor"),
        ("/api/works?cursor=*&page=2", "Cannot use page and cursor together"),
        ("/api/works?sort=title_length:desc", "title_length is not a valid sort field"),
        ("/api/works?sort=cited_by_count:sideways", "Invalid sort direction"),
        ("/api/works?q=robust", "q is not a valid parameter"),
        ("/api/works?select=nope", "nope is not a valid select field"),
        ("/api/works/X1", "'X1' is not a valid OpenAlex ID"),
        ("/api/works/doi:11.1/x", "is not a valid OpenAlex ID"),
        ("/api/authors/orcid:0000-0002-1825-0098", "is not a valid OpenAlex ID"),
        ("/api/authors/W2741809807", "is not a valid OpenAlex ID"),
        ("/api/authors/" + "A" * 300, "is not a valid OpenAlex ID"),
        ("/api/topics/T1?page=2", "page is not a valid parameter for a single record"),
    ],
)
def test_a_bad_parameter_is_a_400_in_openalex_s_words(client, author, url, message):
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == INVALID
    assert message in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_cursor_from_another_query_is_refused(client, author):
    make_work(authors=[author])
    first = client.get("/api/works?per-page=1&cursor=*").json()
    cursor = first["meta"]["next_cursor"]
    assert client.get(f"/api/works?per-page=1&cursor={cursor}").status_code == 200
    other = client.get(f"/api/works?per-page=1&cursor={cursor}&sort=cited_by_count")
    assert other.status_code == 400
    assert "another query" in other.json()["message"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert client.get(f"/api/works?per-page=1&cursor={tampered}").status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/works/W404", "/api/authors/A404", "/api/institutions/I404", "/api/topics/T404",
            "/api/works/doi:10.404/none", "/api/authors/orcid:0000-0002-1825-0097"],
)  # fmt: skip
def test_an_unknown_id_is_a_404_in_openalex_s_words(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {
        "error": "404 Not Found",
        "message": "The requested URL was not found on the server. If you entered the URL "
        "manually please check your spelling and try again.",
    }


def test_openalex_s_reserved_author_records_are_not_served(client):
    make_author(openalex_id="A9999999999", display_name="Unknown")
    assert client.get("/api/authors/A9999999999").status_code == 404
    assert client.get("/api/authors").json()["meta"]["count"] == 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow(method, author):
    client = Client(enforce_csrf_checks=True)
    for url in ("/api/works", f"/api/authors/{author.openalex_id}"):
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["error"] == "Method Not Allowed"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_is_open_for_reading(client, author):
    response = client.get("/api/authors", headers={"Origin": "https://elsewhere.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/works",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    head = client.head(f"/api/authors/{author.openalex_id}")
    assert head.status_code == 200 and head.content == b""


def test_an_unchanged_answer_is_a_304(client, author):
    url = f"/api/authors/{author.openalex_id}"
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    # A list's timing changes on every request; its ETag does not.
    listed = client.get("/api/works?per-page=5")
    assert (
        client.get("/api/works?per-page=5", headers={"If-None-Match": listed["ETag"]}).status_code
        == 304
    )
    # Compressed, the ETag is weakened by GZipMiddleware; it still matches.
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert client.get(url, headers={"If-None-Match": gz["ETag"]}).status_code == 304
    # Any change to the record is a new ETag.
    author.display_name = "Ada Changed"
    author.save(update_fields=["display_name"])
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_too_many_requests_is_a_429_with_retry_after(client, settings, author):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    for remaining in (2, 1, 0):
        response = client.get("/api/works")
        assert response.status_code == 200
        assert response["X-RateLimit-Remaining"] == str(remaining)
    refused = client.get(f"/api/authors/{author.openalex_id}")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"] == "Too Many Requests"
    assert "at most 3 requests per minute" in refused.json()["message"]
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Counted per client address: another client still reads.
    other = client.get("/api/works", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_a_forged_forwarded_for_does_not_reset_the_count(client, settings, author):
    settings.API_RATE_LIMIT = 1
    assert client.get("/api/works").status_code == 200
    forged = client.get("/api/works", headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged.status_code == 429


def test_the_count_is_kept_in_redis(client, settings, author):
    # Production's cache: every web process counts in the same Redis. A prefix of its own, so
    # neither a rerun nor another test meets these counts.
    url = os.environ.get("TEST_REDIS_URL") or pytest.fail("Set TEST_REDIS_URL")
    prefix = f"api-throttle-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "bzpeer.cache.FailOpenRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.API_RATE_LIMIT = 2
    redis = Redis.from_url(url)
    try:
        assert client.get("/api/works").status_code == 200
        assert Client().get("/api/topics").status_code == 200  # another client, same address
        assert len(redis.keys(f"{prefix}:*api-rate:127.0.0.1:*")) == 1
        refused = client.get("/api/works")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) >= 1
    finally:
        for key in redis.keys(f"{prefix}:*"):
            redis.delete(key)


def test_other_paths_under_api_are_json_404s(client):
    for path in ("/api/sources/S1", "/api/funders", "/api/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "404 Not Found"
    root = client.get("/api/").json()
    assert root["endpoints"][0] == "http://testserver/api/authors"
