-- Documentalist accounts, the login attempts that rate-limit them (kept in the database so a
-- restart does not reset the counters), and the audit log of every change made in the
-- workspace or with the CLI.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    login               TEXT NOT NULL UNIQUE COLLATE NOCASE
                        CHECK (length(login) BETWEEN 2 AND 64),
    password_hash       TEXT NOT NULL CHECK (length(password_hash) >= 40),  -- never a clear password
    display_name        TEXT NOT NULL DEFAULT '',
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at       TEXT
);

CREATE TABLE login_attempts (
    id      INTEGER PRIMARY KEY,
    at      REAL NOT NULL,                    -- Unix time
    login   TEXT NOT NULL COLLATE NOCASE,
    ip      TEXT NOT NULL,
    success INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempts_by_login ON login_attempts (login, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);

-- Append-only: who changed what, when, with a before/after summary. Borrowers' personal data
-- never goes in here (only field names), so the log can stay untouched after a GDPR erasure.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   INTEGER,
    summary     TEXT NOT NULL DEFAULT '',
    changes     TEXT                          -- JSON {"field": [before, after]}
);
CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
