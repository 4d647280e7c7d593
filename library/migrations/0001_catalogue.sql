-- The catalogue: records with their authors, thematics, text and file; copies of paper records.
-- `rev` comes from one counter bumped by every write, so the derived index can tell what it
-- has not seen yet; records are never deleted, only flagged, so harvesters learn of deletions.

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('rev', 0);

CREATE TABLE files (
    sha256        TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    original_name TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    store_path    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE records (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    subtitle     TEXT NOT NULL DEFAULT '',
    publisher    TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    date         TEXT NOT NULL DEFAULT '',
    year         INTEGER CHECK (year IS NULL OR year BETWEEN 1000 AND 2999),
    doc_type     TEXT NOT NULL DEFAULT 'autre' CHECK (doc_type IN (
                     'ouvrage', 'rapport', 'etude', 'guide', 'actes', 'article', 'revue',
                     'compte-rendu', 'fiche-experience', 'lettre-information', 'memoire',
                     'texte-officiel', 'autre')),
    support      TEXT NOT NULL CHECK (support IN ('papier', 'electronique')),
    language     TEXT NOT NULL DEFAULT 'und',
    pages        INTEGER CHECK (pages IS NULL OR pages >= 0),
    isbn         TEXT NOT NULL DEFAULT '',
    issn         TEXT NOT NULL DEFAULT '',
    call_number  TEXT NOT NULL DEFAULT '',
    abstract     TEXT NOT NULL DEFAULT '',
    keywords     TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
    territories  TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
    url          TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    file_sha256  TEXT REFERENCES files (sha256),
    text_status  TEXT NOT NULL DEFAULT 'none' CHECK (text_status IN ('ok', 'empty', 'none')),
    work_id      INTEGER,
    curated      INTEGER NOT NULL DEFAULT 0 CHECK (curated IN (0, 1)),  -- edited by a documentalist: re-extraction keeps its description
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    deleted_at   TEXT,
    rev          INTEGER NOT NULL
);
CREATE UNIQUE INDEX records_by_file ON records (file_sha256) WHERE file_sha256 IS NOT NULL;
CREATE INDEX records_by_rev ON records (rev);
CREATE INDEX records_by_updated ON records (updated_at);
CREATE INDEX records_by_isbn ON records (isbn) WHERE isbn != '';
CREATE INDEX records_by_work ON records (work_id) WHERE work_id IS NOT NULL;

CREATE TABLE record_authors (
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind      TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    PRIMARY KEY (record_id, position)
);
CREATE INDEX record_authors_by_name ON record_authors (name);

-- One row per (record, thematic): the tagger's proposal and the documentalist's decision.
-- A manual 'add' or 'remove' wins over the automatic score and survives re-tagging.
CREATE TABLE record_themes (
    record_id     INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    slug          TEXT NOT NULL,
    auto_score    REAL,
    auto_evidence TEXT,                       -- JSON
    manual        TEXT CHECK (manual IS NULL OR manual IN ('add', 'remove')),
    manual_by     TEXT,
    manual_at     TEXT,
    PRIMARY KEY (record_id, slug)
);
CREATE INDEX record_themes_by_slug ON record_themes (slug);

CREATE TABLE record_texts (
    record_id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    text      TEXT NOT NULL                  -- pages separated by form feeds (\f)
);

-- Every path the indexer has seen, so an unchanged folder is recognised without hashing.
CREATE TABLE file_paths (
    path      BLOB PRIMARY KEY,              -- os.fsencode(path): file names need not be UTF-8
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT,
    status    TEXT NOT NULL CHECK (status IN ('indexed', 'empty', 'failed')),
    reason    TEXT NOT NULL DEFAULT '',
    record_id INTEGER REFERENCES records (id),
    seen_at   TEXT NOT NULL
);
CREATE INDEX file_paths_by_sha ON file_paths (sha256);

CREATE TABLE copies (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES records (id),
    barcode     TEXT NOT NULL UNIQUE CHECK (length(trim(barcode)) > 0),
    call_number TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'missing', 'withdrawn')),
    created_at  TEXT NOT NULL
);
CREATE INDEX copies_by_record ON copies (record_id);

-- A paper copy belongs to a paper record.
CREATE TRIGGER copies_only_on_paper BEFORE INSERT ON copies
WHEN (SELECT support FROM records WHERE id = NEW.record_id) != 'papier'
BEGIN
    SELECT RAISE(ABORT, 'copies belong to paper records');
END;
