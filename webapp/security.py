"""Security of the site: CSRF tokens, documentalist sessions, the login guard of /admin/,
session cookie flags, and what a login attempt must go through.

- CSRF: one random token per session, required on every POST/PUT/PATCH/DELETE (form field
  `csrf_token` or header `X-CSRF-Token`) except the OAI-PMH endpoint, which harvesters POST to
  without a session and which changes nothing. Compared in constant time.
- Everything under /admin/ needs a logged-in documentalist, checked before any view runs (a
  forgotten decorator cannot open a hole): an anonymous GET is sent to the login page, an
  anonymous write is refused with 403 before the view, so nothing changes.
- Sessions: the cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came over
  HTTPS (or always, with SESSION_COOKIE_SECURE). A session ends after SESSION_HOURS, when the
  account is disabled, or when its password changes.
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
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix

from library.users import User, Users

from . import services
from .policies import WORKSPACE_DEFAULTS, scrypt_cost, workspace_config

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_EXEMPT_PREFIXES = ("/oai",)
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
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=proxies,
            x_proto=proxies,  # type: ignore[method-assign]
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
        return g.user  # type: ignore[no-any-return]
    g.user = _load_user()
    return g.user  # type: ignore[no-any-return]


def _load_user() -> User | None:
    uid, since, stamp = session.get("uid"), session.get("since"), session.get("pwd_at")
    if not isinstance(uid, int) or not isinstance(since, int | float):
        return None
    hours = float(current_app.config.get("SESSION_HOURS", WORKSPACE_DEFAULTS["SESSION_HOURS"]))
    if time.time() - since > hours * 3600:
        session.clear()
        return None
    user = Users(services.get_catalogue(), cost=scrypt_cost(current_app.config)).by_id(uid)
    if user is None or not user.active or not stamp or user.stamp != stamp:
        session.clear()
        return None
    return user


def start_session(user: User) -> None:
    """A fresh session for a documentalist who just proved who they are."""
    session.clear()  # nothing from before the login survives (fixation)
    session["uid"] = user.id
    session["login"] = user.login
    session["pwd_at"] = user.stamp
    session["since"] = time.time()
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    g.user = user


def end_session() -> None:
    session.clear()
    g.user = None


def actor() -> str:
    """Who acts, for the audit log."""
    user = current_user()
    return user.login if user else "anonyme"


def safe_next(target: str | None) -> str | None:
    """Where to go after login: only a path of the workspace, never another site."""
    if not target or len(target) > 2000 or "\\" in target or not target.startswith(ADMIN_PREFIX):
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


def _guard() -> Response | None:
    closed = _is_admin_path(request.path) and request.endpoint not in OPEN_ADMIN_ENDPOINTS
    if closed and current_user() is None:
        if request.method in SAFE_METHODS:
            return redirect(url_for(LOGIN_ENDPOINT, suivant=_here()))  # type: ignore[return-value]
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
    if _is_admin_path(request.path) or request.path.startswith("/calendrier/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def require(condition: bool, status: int = 404) -> None:
    if not condition:
        abort(status)
