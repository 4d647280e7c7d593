-- Keys that make an import's duplicate checks indexed look-ups instead of scans of the whole
-- catalogue: an import's time grows with the file, not with the fund.
-- title_key: the normalised title (library.text.normalise_title); origin_id: the identifier
-- of origin of an imported record (what follows the last '#' of `source`).
-- The two SQL functions are registered by library.db.connect.
ALTER TABLE records ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN origin_id TEXT NOT NULL DEFAULT '';
UPDATE records SET title_key = fonds_title_key(title), origin_id = fonds_origin_id(source);
CREATE INDEX records_by_title_key ON records (title_key);
CREATE INDEX records_by_origin_id ON records (origin_id) WHERE origin_id != '';
