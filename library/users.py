"""Documentalist accounts: passwords hashed with scrypt, and a login throttle kept in SQLite.

Passwords are hashed with the standard library's `hashlib.scrypt` (memory-hard, the scheme
OWASP lists next to Argon2id): no new dependency, and `library` stays free of web code. The
stored string carries its parameters (`scrypt$n$r$p$salt$hash`), so the cost can be raised
later: a login with an older cost re-hashes the password transparently.

The throttle counts failed logins per login name and per IP address over a sliding window,
in the catalogue database, so a restart does not reset it. Times are Unix seconds passed by
the caller (`now`), which keeps it deterministic in tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .catalogue import Catalogue, utc_now
from .errors import CatalogueError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # bounded: hashing a megabyte of "password" is a denial of service
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ScryptCost:
    n: int = 2**15  # 32 MiB of memory per hash with r=8, ≈ 0.1 s on one core
    r: int = 8
    p: int = 1

    def stronger_than(self, other: ScryptCost) -> bool:
        return self.n * self.r * self.p > other.n * other.r * other.p


DEFAULT_COST = ScryptCost()


def hash_password(password: str, cost: ScryptCost = DEFAULT_COST) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, cost)
    return "$".join(("scrypt", str(cost.n), str(cost.r), str(cost.p), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`, compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        cost = ScryptCost(int(n), int(r), int(p))
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), cost, len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def cost_of(stored: str) -> ScryptCost | None:
    try:
        scheme, n, r, p, *_ = stored.split("$")
        return ScryptCost(int(n), int(r), int(p)) if scheme == "scrypt" else None
    except ValueError:
        return None


def _scrypt(password: str, salt: bytes, cost: ScryptCost, length: int = 32) -> bytes:
    memory = 128 * cost.r * cost.n * cost.p + 2**20
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=memory * 2,
        dklen=length,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class AccountProblem(StrEnum):
    LOGIN_INVALID = "login-invalid"
    LOGIN_TAKEN = "login-taken"
    PASSWORD_SHORT = "password-short"
    PASSWORD_LONG = "password-long"
    PASSWORD_IS_LOGIN = "password-is-login"
    UNKNOWN_USER = "unknown-user"


class AccountError(CatalogueError):
    def __init__(self, problem: AccountProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}{': ' + detail if detail else ''}")
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    display_name: str
    active: bool
    created_at: str
    password_changed_at: str
    last_login_at: str | None
    stamp: str = ""  # changes with the password: sessions opened before a change end


class Users:
    """The documentalists of an instance. Shares the catalogue's connection."""

    def __init__(self, catalogue: Catalogue, cost: ScryptCost = DEFAULT_COST) -> None:
        self.conn = catalogue.conn
        self.cost = cost

    @property
    def _decoy(self) -> str:
        return _decoy_hash(self.cost)

    def add(
        self, login: str, password: str, *, display_name: str = "", now: str | None = None
    ) -> User:
        login = login.strip()
        if not _LOGIN.match(login):
            raise AccountError(AccountProblem.LOGIN_INVALID, login)
        check_password_policy(login, password)
        now = now or utc_now()
        try:
            self.conn.execute(
                "INSERT INTO users (login, password_hash, display_name, created_at,"
                " password_changed_at) VALUES (?, ?, ?, ?, ?)",
                (login, hash_password(password, self.cost), display_name.strip(), now, now),
            )
        except sqlite3.IntegrityError as exc:
            raise AccountError(AccountProblem.LOGIN_TAKEN, login) from exc
        return self.get(login)

    def set_password(self, login: str, password: str, now: str | None = None) -> User:
        user = self.get(login)
        check_password_policy(user.login, password)
        self.conn.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            (hash_password(password, self.cost), now or utc_now(), user.id),
        )
        self.end_sessions(user.id)  # whoever knew the old password is out
        return self.get(login)

    def set_active(self, login: str, active: bool) -> User:
        user = self.get(login)
        self.conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user.id))
        if not active:
            self.end_sessions(user.id)
        return self.get(login)

    # -- sessions: a random secret in the cookie, its hash here, checked on every request --

    def open_session(self, user_id: int, now: float, address: str = "") -> str:
        """A new session for the user; returns the secret the cookie must carry."""
        token = secrets.token_urlsafe(32)
        self.conn.execute(
            "INSERT INTO user_sessions (token_hash, user_id, created_at, address)"
            " VALUES (?, ?, ?, ?)",
            (_token_hash(token), user_id, now, address[:64]),
        )
        return token

    def session_user(self, token: str, user_id: int, since: float) -> User | None:
        """The active user of a live session opened after `since`, else None."""
        if not token or len(token) > 128:
            return None
        row = self.conn.execute(
            "SELECT u.* FROM user_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = ? AND s.user_id = ? AND s.created_at >= ?",
            (_token_hash(token), user_id, since),
        ).fetchone()
        if row is None or not row["active"]:
            return None
        return _user(row)

    def end_session(self, token: str) -> None:
        self.conn.execute("DELETE FROM user_sessions WHERE token_hash = ?", (_token_hash(token),))

    def end_sessions(self, user_id: int, *, older_than: float | None = None) -> int:
        """End every session of a user (or only those opened before `older_than`)."""
        if older_than is None:
            cur = self.conn.execute("DELETE FROM user_sessions WHERE user_id = ?", (user_id,))
        else:
            cur = self.conn.execute(
                "DELETE FROM user_sessions WHERE user_id = ? AND created_at < ?",
                (user_id, older_than),
            )
        return cur.rowcount

    def session_count(self, user_id: int) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM user_sessions WHERE user_id = ?", (user_id,)
        ).fetchone()[0]

    def get(self, login: str) -> User:
        row = self.conn.execute("SELECT * FROM users WHERE login = ?", (login.strip(),)).fetchone()
        if row is None:
            raise AccountError(AccountProblem.UNKNOWN_USER, login)
        return _user(row)

    def by_id(self, user_id: int) -> User | None:
        row = self.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def all(self) -> list[User]:
        return [_user(r) for r in self.conn.execute("SELECT * FROM users ORDER BY login")]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM users").fetchone()[0]

    def authenticate(self, login: str, password: str, now: str | None = None) -> User | None:
        """The active user with this login and password, else None (same work either way)."""
        if len(password) > MAX_PASSWORD_LENGTH or len(login) > 64:
            return None
        row = self.conn.execute("SELECT * FROM users WHERE login = ?", (login.strip(),)).fetchone()
        stored = row["password_hash"] if row is not None else self._decoy
        matches = verify_password(password, stored)
        if row is None or not matches or not row["active"]:
            return None
        old_cost = cost_of(stored)
        if old_cost is not None and self.cost.stronger_than(old_cost):
            self.conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                (hash_password(password, self.cost), row["id"]),
            )
        self.conn.execute(
            "UPDATE users SET last_login_at = ? WHERE id = ?", (now or utc_now(), row["id"])
        )
        return self.get(row["login"])


@lru_cache(maxsize=4)
def _decoy_hash(cost: ScryptCost) -> str:
    """Hash of a random password: checked when the login is unknown, so that a wrong login
    takes as long as a wrong password (no account enumeration by timing). Made once per
    process and cost, not per Users object: the session check of every request hashes
    nothing."""
    return hash_password(secrets.token_hex(16), cost)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def check_password_policy(login: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(AccountProblem.PASSWORD_SHORT, str(MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(AccountProblem.PASSWORD_LONG, str(MAX_PASSWORD_LENGTH))
    if password.strip().casefold() == login.strip().casefold():
        raise AccountError(AccountProblem.PASSWORD_IS_LOGIN)


def _user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        login=row["login"],
        display_name=row["display_name"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        password_changed_at=row["password_changed_at"],
        last_login_at=row["last_login_at"],
        stamp=hashlib.sha256(row["password_hash"].encode("ascii")).hexdigest()[:24],
    )


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    max_failures_per_login: int = 5
    max_failures_per_ip: int = 20
    window_seconds: float = 15 * 60


class LoginThrottle:
    """Failed logins counted per login and per IP over a sliding window, persisted."""

    def __init__(self, catalogue: Catalogue, policy: ThrottlePolicy | None = None) -> None:
        self.conn = catalogue.conn
        self.policy = policy or ThrottlePolicy()

    def retry_after(self, login: str, ip: str, now: float) -> float:
        """Seconds to wait before the next attempt is allowed (0: go ahead)."""
        since = now - self.policy.window_seconds
        last_success = (
            self.conn.execute(
                "SELECT max(at) FROM login_attempts WHERE login = ? AND success = 1",
                (login.strip(),),
            ).fetchone()[0]
            or 0.0
        )
        per_login = self._failures("login = ?", login.strip(), max(since, last_success))
        per_ip = self._failures("ip = ?", ip, since)
        window = self.policy.window_seconds
        waits = [0.0]
        for failures, limit in (
            (per_login, self.policy.max_failures_per_login),
            (per_ip, self.policy.max_failures_per_ip),
        ):
            if limit > 0 and len(failures) >= limit:
                # Blocked until the limit-th most recent failure leaves the window.
                waits.append(failures[limit - 1] + window - now)
        return max(waits)

    def record(self, login: str, ip: str, success: bool, now: float) -> None:
        self.conn.execute(
            "INSERT INTO login_attempts (at, login, ip, success) VALUES (?, ?, ?, ?)",
            (now, login.strip()[:64], ip[:64], int(success)),
        )
        # Old attempts say nothing any more: keep the table small.
        self.conn.execute("DELETE FROM login_attempts WHERE at < ?", (now - 30 * 24 * 3600,))

    def _failures(self, where: str, value: str, since: float) -> list[float]:
        """Times of failures after `since`, the most recent first."""
        rows = self.conn.execute(
            f"SELECT at FROM login_attempts WHERE {where} AND success = 0 AND at > ?"
            " ORDER BY at DESC",
            (value, since),
        )
        return [r[0] for r in rows]
