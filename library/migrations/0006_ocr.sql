-- The OCR queue: records whose file has no text layer (scans), waiting for `fonds ocr`.
-- The queue lives in the catalogue so that an interrupted run loses nothing: an item leaves
-- 'pending' only in the transaction that stores its text. 'failed' items stay listed with the
-- reason (a code and its detail, translated at the edge) until someone retries them.

CREATE TABLE ocr_queue (
    record_id    INTEGER PRIMARY KEY REFERENCES records (id),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    pages        TEXT NOT NULL DEFAULT '',      -- pages to OCR ('1,3-5'); '' = every page
    attempts     INTEGER NOT NULL DEFAULT 0,
    error_code   TEXT NOT NULL DEFAULT '',
    error_detail TEXT NOT NULL DEFAULT '',
    ocr_sha256   TEXT REFERENCES files (sha256), -- the searchable PDF made from the original
    ocr_pages    INTEGER,                        -- pages the OCR went through
    seconds      REAL,
    queued_at    TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX ocr_queue_by_status ON ocr_queue (status);
