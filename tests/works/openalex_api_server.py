"""A local stand-in for the OpenAlex REST API: recorded responses (tests/data/openalex/api/)
served in cursor pages by a threading http.server on a free port, with the faults a real API
has: 429 with Retry-After, 500, slow answers and connections dropped mid-response.

Filters understood: openalex_id, authorships.author.id, last_known_institutions.id,
from_updated_date, and any other dotted field by equality ("publication_year:2017"); values
OR-ed with "|", filters AND-ed with ",", as OpenAlex does. Pages are `page_size` records
whatever per-page asks (the request log says what was asked)."""

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parent.parent / "data" / "openalex" / "api"
ENTITIES = ("works", "authors", "institutions")


def _short(openalex_id: str) -> str:
    return openalex_id.rsplit("/", 1)[-1].upper()


def _load(folder: Path) -> list[dict[str, Any]]:
    records = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text())
        records += document.get("results", [document])
    return records


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    page: int
    answer: str  # "200", "429", "500", "slow", "drop"


@dataclass
class OpenAlexServer:
    page_size: int = 3
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    # (page, fault) one-shot faults, taken by the first request for that page (any query).
    faults: list[tuple[int, str]] = field(default_factory=list)
    drop_from_page: int | None = None  # every request for this page or a later one drops
    retry_after: str = "1"
    slow_seconds: float = 3.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.records:
            self.records = {entity: _load(DATA / entity) for entity in ENTITIES}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                # The client may have given up (a timeout): nothing to answer then.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "OpenAlexServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def pages_served(self, answer: str = "200") -> list[Seen]:
        return [s for s in self.seen if s.answer == answer]

    # --- answering ----------------------------------------------------------------------

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        entity = parts.path.strip("/")
        cursor = params.get("cursor", "*")
        page = 1 if cursor == "*" else int(cursor.removeprefix("page-"))
        with self.lock:
            fault = next((f for p, f in self.faults if p == page), None)
            if fault is not None:
                self.faults.remove((page, fault))
            elif self.drop_from_page is not None and page >= self.drop_from_page:
                fault = "drop"
            self.seen.append(Seen(parts.path, params, dict(request.headers), page, fault or "200"))
        if entity not in self.records:
            return self._send(request, 404, {"error": "Not found"})
        if fault == "429":
            return self._send(request, 429, {"error": "Too many requests"}, self.retry_after)
        if fault == "500":
            return self._send(request, 500, {"error": "Internal server error"})
        if fault == "slow":
            time.sleep(self.slow_seconds)
        matching = [r for r in self.records[entity] if _matches(r, params.get("filter", ""))]
        start = (page - 1) * self.page_size
        chunk = matching[start : start + self.page_size]
        more = start + self.page_size < len(matching)
        body = {
            "meta": {
                "count": len(matching),
                "db_response_time_ms": 1,
                "page": None,
                "per_page": self.page_size,
                "next_cursor": f"page-{page + 1}" if more else None,
                "groups_count": None,
            },
            "results": chunk,
            "group_by": [],
        }
        if fault == "drop":
            return self._drop(request, body)
        self._send(request, 200, body)

    def _send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        retry_after: str | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        if retry_after is not None:
            request.send_header("Retry-After", retry_after)
        request.end_headers()
        request.wfile.write(data)

    def _drop(self, request: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        """The headers and half the body, then the connection closed under the client."""
        data = json.dumps(body).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data[: len(data) // 2])
        request.wfile.flush()
        request.connection.shutdown(socket.SHUT_RDWR)
        request.close_connection = True


def _matches(record: dict[str, Any], expression: str) -> bool:
    for item in filter(None, expression.split(",")):
        key, _, value = item.partition(":")
        wanted = {v.upper() for v in value.split("|")}
        if key == "from_updated_date":
            if (record.get("updated_date") or "")[:10] < value:
                return False
        elif key in ("openalex_id", "ids.openalex"):
            if _short(record["id"]) not in wanted:
                return False
        elif key == "authorships.author.id":
            ids = {_short(a["author"]["id"]) for a in record.get("authorships") or []}
            if not ids & wanted:
                return False
        elif key == "last_known_institutions.id":
            ids = {_short(i["id"]) for i in record.get("last_known_institutions") or []}
            if not ids & wanted:
                return False
        else:
            found: Any = record
            for name in key.split("."):
                found = found.get(name) if isinstance(found, dict) else None
            if str(found).upper() not in wanted:
                return False
    return True
