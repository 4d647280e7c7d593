-- Veille by e-mail: subscribers (double opt-in), what they follow, and the send ledger.
-- The ledger is what makes sending safe to interrupt and to run twice at once:
--   * a record goes into at most one digest per subscriber (UNIQUE on delivery_items);
--   * a subscriber's watermark (last record id considered) moves in the same transaction that
--     queues the digest, so a record is either queued or known not to match: never skipped;
--   * a newsletter is queued once per subscriber (UNIQUE on deliveries);
--   * a delivery is claimed by one sender at a time (status 'sending' + claimed_by).
-- Erasing a subscriber removes everything about them (ON DELETE CASCADE).

CREATE TABLE subscribers (
    id               INTEGER PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
    consent_origin   TEXT NOT NULL CHECK (length(trim(consent_origin)) > 0),
    created_at       TEXT NOT NULL,
    confirmed_at     TEXT,                    -- NULL until the first confirmation
    token_hash       TEXT UNIQUE,             -- sha256 of the confirmation link's secret
    token_expires_at TEXT,
    unsubscribe_key  TEXT NOT NULL UNIQUE,    -- secret of the unsubscribe links
    last_record_id   INTEGER NOT NULL DEFAULT 0,   -- watermark: records up to it were considered
    last_digest_at   TEXT                     -- when the watermark last moved
);

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('theme', 'search', 'bulletin')),
    value         TEXT NOT NULL DEFAULT '',  -- theme slug, or the search's query string
    created_at    TEXT NOT NULL,
    confirmed_at  TEXT,                       -- NULL: asked for, not confirmed yet
    UNIQUE (subscriber_id, kind, value)
);
CREATE INDEX subscriptions_by_subscriber ON subscriptions (subscriber_id);

CREATE TABLE newsletters (
    id           INTEGER PRIMARY KEY,
    month        TEXT NOT NULL UNIQUE CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    introduction TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    sent_at      TEXT,                        -- queued for sending: the text is frozen
    sent_by      TEXT
);

CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('digest', 'newsletter')),
    newsletter_id INTEGER REFERENCES newsletters (id),
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'abandoned')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_by    TEXT,
    claimed_at    TEXT,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    sent_at       TEXT,
    CHECK ((kind = 'newsletter') = (newsletter_id IS NOT NULL))
);
CREATE UNIQUE INDEX deliveries_newsletter_once ON deliveries (newsletter_id, subscriber_id)
    WHERE newsletter_id IS NOT NULL;
CREATE INDEX deliveries_by_status ON deliveries (status, id);
CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id);

CREATE TABLE delivery_items (
    delivery_id     INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    record_id       INTEGER NOT NULL REFERENCES records (id),
    subscription_id INTEGER REFERENCES subscriptions (id) ON DELETE SET NULL,
    PRIMARY KEY (delivery_id, record_id)
);
CREATE UNIQUE INDEX delivery_items_once ON delivery_items (subscriber_id, record_id);
