"""What every /api/ answer has in common: JSON in OpenAlex's shapes (errors too), read-only
CORS, the per-client rate limit, and ETag / 304."""

import hashlib
import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt

from bzpeer.api.throttle import Allowance, throttle_hit

READ_METHODS = ("GET", "HEAD", "OPTIONS")
NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)
INVALID_QUERY = "Invalid query parameters error."


class ApiError(Exception):
    """An answer other than 200, with OpenAlex's "error" and "message" words."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def bad_request(message: str) -> ApiError:
    # pyalex turns a 400 whose "error" says "query parameters" into its QueryError.
    return ApiError(400, INVALID_QUERY, message)


def not_found() -> ApiError:
    return ApiError(404, "404 Not Found", NOT_FOUND_MESSAGE)


def _json(payload: object, status: int = 200) -> JsonResponse:
    return JsonResponse(
        payload, status=status, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )


def _error(exc: ApiError) -> JsonResponse:
    return _json({"error": exc.error, "message": exc.message}, status=exc.status)


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data: any site's scripts may read it; no credentials are involved
    # (the API never looks at the session), so "*" is safe.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = (
        "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
    )
    return response


def _etag(payload: dict) -> str:
    # The timing in "meta" changes on every request; everything else is what the client got.
    stable = dict(payload)
    if isinstance(stable.get("meta"), dict):
        stable["meta"] = {k: v for k, v in stable["meta"].items() if k != "db_response_time_ms"}
    body = json.dumps(stable, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    # GZipMiddleware weakens our strong ETag (W/"…") on compressed answers: compare weakly.
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or any(tag.removeprefix("W/") == etag for tag in wanted)


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
    response["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-None-Match, From"
    response["Access-Control-Max-Age"] = "86400"
    return response


def api_view(view: Callable[..., dict | HttpResponse]) -> Callable[..., HttpResponse]:
    """A read-only API view: `view` returns the payload or raises ApiError. Other methods
    are 405 (csrf_exempt, so a POST gets that answer rather than the CSRF page)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in READ_METHODS:
            response = _error(
                ApiError(405, "Method Not Allowed", "This API is read-only: use GET.")
            )
            response["Allow"] = ", ".join(READ_METHODS)
            return _cors(response)
        if request.method == "OPTIONS":
            return _cors(_preflight())
        allowance = throttle_hit(request)
        if not allowance.allowed:
            response = _too_many(allowance)
        else:
            try:
                response = _conditional(request, view(request, *args, **kwargs))
            except ApiError as exc:
                response = _error(exc)
        response["X-RateLimit-Limit"] = str(allowance.limit)
        response["X-RateLimit-Remaining"] = str(allowance.remaining)
        return _cors(response)

    return wrapped


def _conditional(request: HttpRequest, payload: dict | HttpResponse) -> HttpResponse:
    if isinstance(payload, HttpResponse):  # a redirect (a merged id)
        return payload
    etag = _etag(payload)
    response = HttpResponse(status=304) if _matches(request, etag) else _json(payload)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


def _too_many(allowance: Allowance) -> HttpResponse:
    window = settings.API_RATE_WINDOW
    per = "minute" if window == 60 else f"{window} seconds"
    response = _error(
        ApiError(
            429,
            "Too Many Requests",
            f"Rate limit exceeded: at most {allowance.limit} requests per {per} from one "
            f"address. Retry after {allowance.retry_after} seconds.",
        )
    )
    response["Retry-After"] = str(allowance.retry_after)
    return response
