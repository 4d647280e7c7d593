-- Authorities (issue 10): persons, organisations, publishers and collections are records of
-- their own, with one preferred form, variant forms ("see" references), dates and a note; a
-- record points to them. The record keeps its names as text too (record_authors.name,
-- records.publisher, the titles in records.series), always equal to the preferred form: the
-- authority module rewrites them on every link, rename and merge, so every reader of a
-- record (exports, pages, the index) sees the preferred form without a join.
-- name_key is the form compared when a typed name is looked up (library.authorities.name_key):
-- case, accents and spacing do not make two authorities.

CREATE TABLE authorities (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'publisher', 'collection')),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key   TEXT NOT NULL CHECK (length(name_key) > 0),
    dates      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX authorities_by_key ON authorities (kind, name_key);

CREATE TABLE authority_variants (
    authority_id INTEGER NOT NULL REFERENCES authorities (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key     TEXT NOT NULL CHECK (length(name_key) > 0),
    PRIMARY KEY (authority_id, name_key)
);
-- One variant names one authority of its kind: a typed name leads to a single authority.
CREATE UNIQUE INDEX authority_variants_by_key ON authority_variants (kind, name_key);

-- Authors point to their authority (person or organisation).
ALTER TABLE record_authors ADD COLUMN authority_id INTEGER REFERENCES authorities (id);
CREATE INDEX record_authors_by_authority ON record_authors (authority_id);

-- The publisher (position 0) and the collections (position = index in records.series).
CREATE TABLE record_authority_links (
    record_id    INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    field        TEXT NOT NULL CHECK (field IN ('publisher', 'series')),
    position     INTEGER NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    PRIMARY KEY (record_id, field, position)
);
CREATE INDEX record_authority_links_by_authority ON record_authority_links (authority_id);
