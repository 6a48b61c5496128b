"""Every API error as ``application/problem+json`` (RFC 9457).

A problem has ``type``, ``title``, ``status``, ``detail``, a ``code`` for
machines, and ``errors``: a list of ``{orderLineId, code, detail}`` or
``{field, code, detail}``. ``handle_api_exception`` is the one DRF exception
handler; ``bad_request``, ``page_not_found`` and ``server_error`` give the
same shape to the errors Django answers itself on API paths.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://seller-api.example/problems/"
API_PATH_PREFIX = "/seller/v2/"


@dataclass(frozen=True)
class ProblemKind:
    """A problem type: its URI slug, title and status."""

    slug: str
    title: str
    status_code: int

    @property
    def type(self):
        return PROBLEM_TYPE_BASE + self.slug


INVALID_REQUEST = ProblemKind("invalid-request", "Invalid request", 400)
NOT_AUTHENTICATED = ProblemKind("not-authenticated", "Not authenticated", 401)
FORBIDDEN = ProblemKind("forbidden", "Forbidden", 403)
NOT_FOUND = ProblemKind("not-found", "Not found", 404)
METHOD_NOT_ALLOWED = ProblemKind("method-not-allowed", "Method not allowed", 405)
NOT_ACCEPTABLE = ProblemKind("not-acceptable", "Not acceptable", 406)
IDEMPOTENCY_KEY_REUSED = ProblemKind(
    "idempotency-key-reused", "Idempotency key already used", 409
)
REQUEST_TOO_LARGE = ProblemKind("request-too-large", "Request too large", 413)
UNSUPPORTED_MEDIA_TYPE = ProblemKind(
    "unsupported-media-type", "Unsupported media type", 415
)
SHIPMENT_REJECTED = ProblemKind("shipment-rejected", "Shipment rejected", 422)
TOO_MANY_REQUESTS = ProblemKind("too-many-requests", "Too many requests", 429)
SERVER_ERROR = ProblemKind("server-error", "Internal server error", 500)

KINDS_BY_STATUS = {
    kind.status_code: kind
    for kind in (
        INVALID_REQUEST,
        NOT_AUTHENTICATED,
        FORBIDDEN,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        NOT_ACCEPTABLE,
        IDEMPOTENCY_KEY_REUSED,
        REQUEST_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        SHIPMENT_REJECTED,
        TOO_MANY_REQUESTS,
        SERVER_ERROR,
    )
}

# The header or part of the request that DRF's own errors are about.
FIELD_OF_EXCEPTION = {
    exceptions.NotAuthenticated: "Authorization",
    exceptions.AuthenticationFailed: "Authorization",
    exceptions.NotAcceptable: "Accept",
    exceptions.UnsupportedMediaType: "Content-Type",
    exceptions.ParseError: "body",
}


class OrderNotFound(exceptions.NotFound):
    default_detail = "No order with this id."
    default_code = "order_not_found"
    field = "orderId"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "This Idempotency-Key was already used with a different request; send a "
        "new key for a new request."
    )
    default_code = "idempotency_key_reused"
    field = "Idempotency-Key"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    field = "body"

    def __init__(self):
        super().__init__(request_too_large_detail())


def request_too_large_detail():
    return (
        f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; "
        "send fewer parcels per request."
    )


def problem_body(kind, *, detail, code, errors=()):
    return {
        "type": kind.type,
        "title": kind.title,
        "status": kind.status_code,
        "detail": detail,
        "code": code,
        "errors": list(errors),
    }


def problem_response(body, *, headers=None):
    return Response(
        body,
        status=body["status"],
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def error_entries(exception):
    """The ``errors`` list of a DRF exception, one entry per message."""
    if isinstance(exception.detail, dict | list):
        return list(_field_entries(exception.detail, path=""))
    field = getattr(exception, "field", None) or FIELD_OF_EXCEPTION.get(type(exception))
    if field is None:
        return []
    return [
        {
            "field": field,
            "code": exception.detail.code,
            "detail": str(exception.detail),
        }
    ]


def _field_entries(detail, *, path):
    if isinstance(detail, dict):
        for name, value in detail.items():
            if name == "non_field_errors":
                name = "body" if not path else ""
            yield from _field_entries(value, path=_join(path, name))
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            for message in detail:
                yield {
                    "field": path or "body",
                    "code": message.code,
                    "detail": str(message),
                }
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from _field_entries(item, path=f"{path}[{index}]")
    else:
        yield {"field": path or "body", "code": detail.code, "detail": str(detail)}


def _join(path, name):
    if isinstance(name, int):
        return f"{path}[{name}]"
    if not name:
        return path
    return f"{path}.{name}" if path else name


def problem_for_exception(exception):
    """The problem body that describes a DRF exception."""
    kind = KINDS_BY_STATUS.get(exception.status_code)
    if kind is None:
        kind = ProblemKind("error", "Error", exception.status_code)
    errors = error_entries(exception)
    if isinstance(exception.detail, dict | list):
        code = _first_code(exception.detail) or exception.default_code
        detail = _summary(errors)
    else:
        code = exception.detail.code
        detail = str(exception.detail)
    return problem_body(kind, detail=detail, code=code, errors=errors)


def _first_code(detail):
    entries = list(_field_entries(detail, path=""))
    codes = {entry["code"] for entry in entries}
    if len(codes) == 1:
        return codes.pop()
    return "invalid"


def _summary(errors):
    if len(errors) == 1:
        error = errors[0]
        return f"{error['field']}: {error['detail']}"
    return f"The request has {len(errors)} errors; see errors."


def handle_api_exception(exception, context):
    """DRF's handler, answering with problem details.

    Exceptions that are not DRF's (bugs) are left to Django, which logs them
    once with their traceback and answers through ``server_error``.
    """
    response = exception_handler(exception, context)
    if response is None:
        return None
    if not isinstance(exception, exceptions.APIException):
        # Django's Http404 and PermissionDenied, converted by DRF.
        exception = (
            exceptions.NotFound()
            if response.status_code == status.HTTP_404_NOT_FOUND
            else exceptions.PermissionDenied()
        )
    headers = {
        name: value
        for name, value in response.headers.items()
        if name in ("WWW-Authenticate", "Retry-After")
    }
    return problem_response(problem_for_exception(exception), headers=headers)


def bad_request(request, exception):
    """Django's 400 answer: problem details on API paths, HTML elsewhere.

    Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` itself, from
    its Content-Length, before reading it; on API paths that is a 413.
    """
    if not request.path.startswith(API_PATH_PREFIX):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        body = problem_for_exception(RequestTooLarge())
        return JsonResponse(body, status=413, content_type=PROBLEM_CONTENT_TYPE)
    body = problem_body(
        INVALID_REQUEST,
        detail="The request was refused before it reached the API, for example "
        "because its body is too large.",
        code="bad_request",
    )
    return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE)


def server_error(request):
    """Django's 500 answer: problem details on API paths, HTML elsewhere."""
    if not request.path.startswith(API_PATH_PREFIX):
        return defaults.server_error(request)
    body = problem_body(
        SERVER_ERROR,
        detail="The server failed to answer; the error is logged. Retry later.",
        code="server_error",
    )
    return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request, exception):
    """Django's 404 answer: problem details on API paths, HTML elsewhere."""
    if not request.path.startswith(API_PATH_PREFIX):
        return defaults.page_not_found(request, exception)
    body = problem_body(
        NOT_FOUND, detail="No API resource at this path.", code="not_found"
    )
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
