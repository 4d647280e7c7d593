"""Security of the site: CSRF tokens, documentalist sessions, the login guard of /admin/,
session cookie flags, and what a login attempt must go through.

- CSRF: one random token per session, required on every POST/PUT/PATCH/DELETE (form field
  `csrf_token` or header `X-CSRF-Token`) except the OAI-PMH endpoint, which harvesters POST to
  without a session and which changes nothing. Compared in constant time.
- Everything under /admin/ needs a logged-in documentalist, checked before any view runs (a
  forgotten decorator cannot open a hole): an anonymous GET is sent to the login page, an
  anonymous write is refused with 403 before the view, so nothing changes.
- Sessions: the cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came over
  HTTPS (or always, with SESSION_COOKIE_SECURE). It carries a random secret whose hash the
  catalogue keeps (library.users, table user_sessions), checked on every request: a session
  ends on the server at logout ("here" or "everywhere"), after SESSION_HOURS, when the
  account is disabled, or when its password changes; a copied cookie then opens nothing.
- Logins are throttled per login name and per client address (library.users.LoginThrottle,
  persisted in SQLite); behind a reverse proxy set TRUSTED_PROXIES so the client address is
  the real one.
- Every answer carries the security headers: a CSP without inline script or style,
  X-Frame-Options DENY, nosniff, same-origin referrer, HSTS over HTTPS.
"""

from __future__ import annotations

import hmac
import secrets
import time
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from library.users import User, Users

from . import services
from .policies import WORKSPACE_DEFAULTS, scrypt_cost, workspace_config

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# OAI-PMH is read-only; one-click unsubscribe (RFC 8058) is POSTed by mail clients without a
# session, its link's secret is the key.
CSRF_EXEMPT_PREFIXES = ("/oai", "/alertes/desabonnement/")
ADMIN_PREFIX = "/admin"
LOGIN_ENDPOINT = "admin.login"
OPEN_ADMIN_ENDPOINTS = frozenset({LOGIN_ENDPOINT})  # reachable without a session
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


class CsrfRefused(BadRequest):
    french = "Formulaire expiré ou invalide : rechargez la page puis recommencez."


class LoginRequired(Forbidden):
    french = "Connexion requise : identifiez-vous dans l'espace documentaliste."


class _SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose Secure flag follows the request's scheme."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE"):
            return True
        from flask import has_request_context

        return has_request_context() and request.is_secure


def init_app(app: Flask) -> None:
    """Install the guards and the security headers on the whole application (by create_app)."""
    for key, value in workspace_config(app.config).items():
        app.config.setdefault(key, value)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.session_interface = _SessionInterface()
    proxies = int(app.config.get("TRUSTED_PROXIES", WORKSPACE_DEFAULTS["TRUSTED_PROXIES"]))
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented wrapping
            app.wsgi_app,
            x_for=proxies,
            x_proto=proxies,
            x_host=proxies,
        )
    app.before_request(_guard)
    app.after_request(_security_headers)
    app.after_request(_no_store_for_admin)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"current_user": current_user()})


# -- CSRF -------------------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token (created on first use); templates put it in every form."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def _check_csrf() -> None:
    expected = session.get(CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    if (
        not isinstance(expected, str)
        or not given
        or not hmac.compare_digest(expected.encode(), given.encode())
    ):
        raise CsrfRefused()


# -- sessions ---------------------------------------------------------------------------------


def current_user() -> User | None:
    """The logged-in documentalist of this request, or None."""
    if "user" in g:
        return g.user
    g.user = _load_user()
    return g.user


def _load_user() -> User | None:
    uid, token, stamp = session.get("uid"), session.get("sid"), session.get("pwd_at")
    if not isinstance(uid, int) or not isinstance(token, str):
        return None
    user = _users().session_user(token, uid, since=time.time() - _session_seconds())
    if user is None or not stamp or user.stamp != stamp:
        session.clear()
        return None
    return user


def _users() -> Users:
    return Users(services.get_catalogue(), cost=scrypt_cost(current_app.config))


def _session_seconds() -> float:
    return (
        float(current_app.config.get("SESSION_HOURS", WORKSPACE_DEFAULTS["SESSION_HOURS"])) * 3600
    )


def start_session(user: User) -> None:
    """A fresh session for a documentalist who just proved who they are: a new secret in
    the cookie, its hash in the catalogue (so that the server can end it)."""
    old = session.get("sid")
    session.clear()  # nothing from before the login survives (fixation)
    users = _users()
    now = time.time()
    if isinstance(old, str):
        users.end_session(old)
    users.end_sessions(user.id, older_than=now - _session_seconds())  # expired ones
    session["uid"] = user.id
    session["sid"] = users.open_session(user.id, now, client_address())
    session["login"] = user.login
    session["pwd_at"] = user.stamp
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    g.user = user


def end_session(*, everywhere: bool = False) -> None:
    """Log out: this session (or all the user's sessions) ends on the server, not only in
    this browser, so a copy of the cookie opens nothing any more."""
    token, user = session.get("sid"), current_user()
    if everywhere and user is not None:
        _users().end_sessions(user.id)
    elif isinstance(token, str):
        _users().end_session(token)
    session.clear()
    g.user = None


def actor() -> str:
    """Who acts, for the audit log."""
    user = current_user()
    return user.login if user else "anonyme"


def safe_next(target: str | None) -> str | None:
    """Where to go after login: only a path of the workspace (see local_path)."""
    path = local_path(target)
    return path if path is not None and path.startswith(ADMIN_PREFIX) else None


def local_path(target: str | None) -> str | None:
    """A redirect target from the request, if it is a path of this site: never another site
    (no scheme, host, '//' or backslash) and never a control character, raw or
    percent-encoded (a line break would end the Location header and start another)."""
    if not target or len(target) > 2000 or "\\" in target or not target.startswith("/"):
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target + unquote(target)):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def client_address() -> str:
    return request.remote_addr or "inconnue"


# -- the guard --------------------------------------------------------------------------------


def _is_admin_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def _here() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def _guard() -> BaseResponse | None:
    closed = _is_admin_path(request.path) and request.endpoint not in OPEN_ADMIN_ENDPOINTS
    if closed and current_user() is None:
        if request.method in SAFE_METHODS:
            return redirect(url_for(LOGIN_ENDPOINT, suivant=_here()))
        raise LoginRequired()
    # A request no route accepts (404, 405) changes nothing: let Flask answer it as such.
    routed = request.routing_exception is None
    if (
        routed
        and request.method not in SAFE_METHODS
        and not request.path.startswith(CSRF_EXEMPT_PREFIXES)
    ):
        _check_csrf()
    return None


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _no_store_for_admin(response: Response) -> Response:
    if _is_admin_path(request.path) or request.path.startswith(("/calendrier/", "/alertes/")):
        response.headers["Cache-Control"] = "no-store"
    return response


def require(condition: bool, status: int = 404) -> None:
    if not condition:
        abort(status)
