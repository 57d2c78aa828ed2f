"""One JSON line per request on standard output, for the log collector of a cluster.

With LOG_FORMAT=json every log record (the site's warnings, Django's errors) is one JSON
object on one line, and this middleware adds one record per request: its id, method, path,
status, the user's id (never a name or a password), and the milliseconds it took. Several
app servers write to one collector; the request id ties a line to the load balancer's log
and to the error that followed it. The id is the load balancer's `X-Request-ID` when it
sends a sane one (letters, digits, dashes, at most 64), else a new one; either way it is
sent back in the answer's `X-Request-ID`.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

logger = logging.getLogger("ocop.requests")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id(request) -> str:
    sent = request.META.get("HTTP_X_REQUEST_ID", "")
    return sent if _SANE_ID.match(sent) else uuid.uuid4().hex


def log_requests(get_response):
    def middleware(request):
        started = time.perf_counter()
        request.request_id = request_id(request)
        response = get_response(request)
        response["X-Request-ID"] = request.request_id
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            logger.info(
                "request",
                extra={
                    "request": {
                        "id": request.request_id,
                        "method": request.method,
                        "path": loggable_path(request),
                        "status": response.status_code,
                        "user": user.pk if user is not None and user.is_authenticated else None,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                },
            )
        return response

    return middleware


# URL parts that are as good as a password for a while: a reset or invitation link's.
SECRET_PARTS = ("uidb64", "token")


def loggable_path(request) -> str:
    """The path, without its query string (it may carry a search or a token) and with the
    secret parts of a one-time link (SECRET_PARTS) replaced: logs are read by more people
    than those the link was mailed to."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_PARTS:
        value = match.kwargs.get(name) if match else None
        if value:
            path = path.replace(f"/{value}/", "/…/")
    return path


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, and the request's fields
    (for the request line) or the exception's text (for an error)."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "request", None)
        if isinstance(fields, dict):  # ours; Django's own records carry the HttpRequest
            line.update(fields)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
