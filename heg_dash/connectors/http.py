"""The HTTP plumbing every connector shares: one session factory, polite pacing, clear errors.

Rules:
- Retries are urllib3's ``Retry`` on the session's adapter (429/500/502/503/504, any method, the
  server's ``Retry-After`` honoured up to ``max_retry_after`` seconds); no hand-written retry loops.
- Every request carries a timeout and waits for its turn per host (``min_interval`` seconds apart).
- Every failure becomes a :class:`ConnectorError` whose message a user can act on. Connectors only
  fetch, so each message says that nothing was changed.
- Tokens are never logged and never put into an error message: only the method, host and path are.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from heg_dash.i18n import t

log = logging.getLogger("heg_dash.connectors")

RETRY_STATUSES = (429, 500, 502, 503, 504)
THROTTLE_STATUSES = (429, 503)
USER_AGENT = "heg-dash/0.1 (HEG Dashboard; requests)"


@dataclass(frozen=True)
class HttpDefaults:
    """Production defaults, read when a session is made. Tests swap ``DEFAULTS`` for tiny values."""

    retries: int = 5
    # urllib3 backoff: the first retry is immediate, then 2 × 2^(n-1) s (4, 8, 16 …), capped at backoff_max.
    backoff_factor: float = 2.0
    backoff_max: float = 120.0
    # Energi Data Service allows about one request per dataset per minute: keep a polite gap per host.
    min_interval: float = 1.0
    timeout: float = 120.0
    # Reaching the host at all: a host that is not there fails within this, once, without retries (offline
    # took 62 s of retries before it said so); 429 and 5xx answers are still retried.
    connect_timeout: float = 10.0
    # A server asking for a longer Retry-After than this is waited on for this long only.
    max_retry_after: int = 300
    # Eloverblik asks clients to back off at least 60 s after 429/503.
    throttle_backoff: float = 60.0


DEFAULTS = HttpDefaults()


class ConnectorError(RuntimeError):
    """A fetch failed; the message says why in words a user can act on. ``status`` is the HTTP status, if any."""

    def __init__(self, message: str, *, service: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.service = service
        self.status = status


class _Retry(Retry):
    """urllib3's Retry plus a floor under the wait after 429/503 (``min_backoff``), for APIs that ask for it."""

    def __init__(self, *args: Any, min_backoff: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.min_backoff = min_backoff

    def new(self, **kw: Any) -> _Retry:
        kw.setdefault("min_backoff", self.min_backoff)
        return super().new(**kw)

    def sleep(self, response: Any = None) -> None:
        if self.min_backoff and response is not None and response.status in THROTTLE_STATUSES:
            retry_after = (self.get_retry_after(response) or 0) if self.respect_retry_after_header else 0
            time.sleep(max(self.min_backoff, retry_after, self.get_backoff_time()))
            return
        super().sleep(response)


# Per-host pacing shared by all sessions in the process: host -> the earliest time of its next request.
_next_slot: dict[str, float] = {}
_slot_lock = threading.Lock()


def _wait_turn(host: str, min_interval: float) -> None:
    if min_interval <= 0:
        return
    with _slot_lock:
        now = time.monotonic()
        slot = max(now, _next_slot.get(host, now))
        _next_slot[host] = slot + min_interval  # reserve the slot, so threads queue instead of racing
    if slot > now:
        time.sleep(slot - now)


class PoliteSession(requests.Session):
    """A ``requests.Session`` that paces requests per host and always sends a timeout."""

    def __init__(self, *, min_interval: float, timeout: float, attempts: int) -> None:
        super().__init__()
        self.min_interval = min_interval
        self.timeout = timeout
        self.attempts = attempts

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        if isinstance(kwargs["timeout"], int | float):  # (connect, read): reaching the host fails fast
            kwargs["timeout"] = (min(DEFAULTS.connect_timeout, kwargs["timeout"]), kwargs["timeout"])
        host = urlsplit(url if isinstance(url, str) else url.decode()).netloc
        _wait_turn(host, self.min_interval)
        return super().request(method, url, *args, **kwargs)


def session(
    *,
    retries: int | None = None,
    backoff_factor: float | None = None,
    min_backoff: float = 0.0,
    min_interval: float | None = None,
    timeout: float | None = None,
) -> PoliteSession:
    """A session with retries (429/5xx, ``Retry-After`` honoured), per-host pacing and a default timeout.

    Arguments left as None come from ``DEFAULTS``. ``min_backoff`` is the least wait after 429/503.
    Final 429/5xx answers are returned, not raised, so :func:`request_json` can name the status.
    """
    d = DEFAULTS
    total = d.retries if retries is None else retries
    retry = _Retry(
        total=total,
        connect=0,  # no host, no retry: the network is down or the address wrong, and waiting changes nothing
        backoff_factor=d.backoff_factor if backoff_factor is None else backoff_factor,
        backoff_max=d.backoff_max,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # retry POST too: every call here is a read
        respect_retry_after_header=True,
        retry_after_max=d.max_retry_after,
        raise_on_status=False,
        min_backoff=min_backoff,
    )
    s = PoliteSession(
        min_interval=d.min_interval if min_interval is None else min_interval,
        timeout=d.timeout if timeout is None else timeout,
        attempts=total + 1,
    )
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    s.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return s


def _detail(resp: requests.Response) -> str:
    """A short reason from an error body ({"reason"|"error"|"message"|"errorText": ...}), if there is one."""
    try:
        body = resp.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("reason", "message", "errorText", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return f": {value.strip()[:200]}"
    return ""


def _read_timed_out(e: requests.ConnectionError) -> bool:
    # After the last retry requests wraps a read timeout as ConnectionError(MaxRetryError(ReadTimeoutError)).
    reason = getattr(e.args[0], "reason", None) if e.args else None
    return isinstance(reason, ReadTimeoutError)


def request_json(
    http: requests.Session,
    method: str,
    url: str,
    *,
    service: str,
    timeout: float | None = None,
    **kwargs: Any,
) -> Any:
    """Send one request and return its parsed JSON body; every failure raises :class:`ConnectorError`.

    ``service`` names the API in messages ("Energi Data Service"). Messages name the host and path, never
    the query or headers (where tokens live).
    """
    parts = urlsplit(url)
    host, path = parts.netloc, parts.path or "/"
    if timeout is None:
        timeout = getattr(http, "timeout", DEFAULTS.timeout)
    seconds = f"{timeout:g}" if isinstance(timeout, int | float) else f"{timeout[-1]:g}"
    try:
        resp = http.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout as e:
        # ConnectTimeout is also a ConnectionError; both mean "not reached", said the same way.
        if isinstance(e, requests.ConnectTimeout):
            raise failure("conn.not_reached", service=service, host=host) from e
        raise failure("conn.timeout", service=service, seconds=seconds, where=host + path) from e
    except requests.ConnectionError as e:
        if _read_timed_out(e):
            raise failure("conn.timeout", service=service, seconds=seconds, where=host + path) from e
        raise failure("conn.not_reached", service=service, host=host) from e
    except requests.RequestException as e:
        raise failure("conn.failed", service=service, where=host + path, error=type(e).__name__) from e

    status = resp.status_code
    log.info("%s %s%s -> HTTP %s", method, host, path, status)
    if status in RETRY_STATUSES:
        raise failure("conn.busy", status, service=service, reason=resp.reason, path=path,
                      attempts=getattr(http, "attempts", 1))
    if status >= 400:
        raise failure("conn.http", status, service=service, reason=resp.reason, path=path, detail=_detail(resp))
    try:
        return resp.json()
    except ValueError as e:  # requests.JSONDecodeError is a ValueError
        raise failure("conn.not_json", status, service=service, path=path,
                      content_type=repr(resp.headers.get("Content-Type", "unknown"))) from e


def failure(key: str, status: int | None = None, **values: object) -> ConnectorError:
    """A ConnectorError in the run's language: the catalogue's ``key``, ending in "Nothing was changed"."""
    return ConnectorError(t(key, nothing=t("conn.nothing_changed"), status=status, **values),
                          service=str(values.get("service", "")), status=status)


def shape_error(service: str, what: str) -> ConnectorError:
    """The error for an answer that parsed as JSON but is not shaped as the API documents."""
    return failure("conn.shape", service=service, what=what)
