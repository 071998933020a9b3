"""Keyset cursors: `cursor=*` starts, and each page's `next_cursor` carries the sort values of
its last row (and its primary key, the tie-break), signed with SECRET_KEY and bound to the
query it came from. The next page is then "rows after these values" on the same order: an
index range, however deep, never an OFFSET."""

import hashlib
from datetime import date

from django.core import signing

from bzpeer.api.responses import bad_request

START = "*"
_SALT = "bzpeer.api.cursor"
INVALID = "Invalid cursor: use cursor=* to start, then each page's meta.next_cursor."


def query_fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def cursor_encode(*, values: list[object], fingerprint: str) -> str:
    return signing.dumps({"v": [_plain(v) for v in values], "q": fingerprint}, salt=_SALT)


def cursor_decode(token: str, *, fingerprint: str, size: int) -> list[object]:
    """The sort values a cursor carries, or a 400 if it is forged, garbled or from another
    query."""
    if len(token) > 2000:
        raise bad_request(INVALID)
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise bad_request(INVALID) from None
    if not isinstance(data, dict):
        raise bad_request(INVALID)
    values = data.get("v")
    if data.get("q") != fingerprint or not isinstance(values, list) or len(values) != size:
        raise bad_request(INVALID + " (This cursor belongs to another query.)")
    return values
