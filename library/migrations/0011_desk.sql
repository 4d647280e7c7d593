-- The documentalist's desk (issue 12): borrower cards and names apart, reminder levels kept,
-- inventories (récolement) of a location, and anonymous counts of record consultations.

-- Borrowers: a card barcode (unique when given), family and given names apart, a postal
-- address. `name` stays as the display name ("given family"), kept in step by library/loans.py.
ALTER TABLE borrowers ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE borrowers ADD COLUMN given_names TEXT NOT NULL DEFAULT '';
ALTER TABLE borrowers ADD COLUMN card_barcode TEXT;
ALTER TABLE borrowers ADD COLUMN address TEXT NOT NULL DEFAULT '';
-- The single name of existing borrowers splits the way it was written: "FAMILY Given",
-- "Family, Given", else "Given Family" (the last word is the family name).
UPDATE borrowers SET family_name = fonds_family_name(name), given_names = fonds_given_names(name);
UPDATE borrowers SET name = trim(given_names || ' ' || family_name);
CREATE UNIQUE INDEX borrowers_card ON borrowers (card_barcode) WHERE card_barcode IS NOT NULL;
CREATE INDEX borrowers_by_family ON borrowers (family_name COLLATE NOCASE);

-- When a copy was found missing (set by an inventory's closing, cleared when it comes back).
ALTER TABLE copies ADD COLUMN missing_since TEXT;

-- Reminders sent for an overdue loan: level 1 (first), 2 (second), 3 (final), with the date.
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    loan_id    INTEGER NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
    level      INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    sent_on    TEXT NOT NULL,
    channel    TEXT NOT NULL DEFAULT 'lettre' CHECK (channel IN ('lettre', 'courriel')),
    created_at TEXT NOT NULL,
    UNIQUE (loan_id, level)
);

-- Inventories of a location: scans are kept as they come (one row per barcode, so two desks
-- scanning the same shelf never count a copy twice); the report is frozen at closing.
CREATE TABLE inventories (
    id         INTEGER PRIMARY KEY,
    location   TEXT NOT NULL CHECK (length(trim(location)) > 0),
    started_on TEXT NOT NULL,
    closed_on  TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX inventories_one_open_per_location ON inventories (location)
    WHERE closed_on IS NULL;
CREATE TABLE inventory_scans (
    inventory_id INTEGER NOT NULL REFERENCES inventories (id) ON DELETE CASCADE,
    barcode      TEXT NOT NULL,
    copy_id      INTEGER REFERENCES copies (id),      -- NULL: a barcode the catalogue ignores
    scanned_at   TEXT NOT NULL,
    PRIMARY KEY (inventory_id, barcode)
);
CREATE TABLE inventory_report (
    inventory_id INTEGER NOT NULL REFERENCES inventories (id) ON DELETE CASCADE,
    copy_id      INTEGER,
    barcode      TEXT NOT NULL,
    call_number  TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL
                 CHECK (outcome IN ('en_rayon', 'en_pret', 'manquant', 'mal_range', 'inconnu',
                                    'retire')),
    PRIMARY KEY (inventory_id, barcode)
);

-- Consultations of record pages and downloads, counted per day and record: no person, no
-- address, no session, only numbers.
CREATE TABLE record_views (
    day       TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('consultation', 'telechargement')),
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, record_id, kind)
) WITHOUT ROWID;
