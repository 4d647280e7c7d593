-- Documentalists' sessions, kept on the server so that logging out (here or everywhere),
-- disabling an account or changing its password ends them at once: the cookie only carries
-- a random secret, whose SHA-256 is stored here, checked on every request.
--
-- The same migration cleans stored text of the characters XML 1.0 forbids (a Python step,
-- library/migrations/__init__.py), which broke the DOCX bibliography and XML exports.

CREATE TABLE user_sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  REAL NOT NULL,                -- Unix time
    address     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
