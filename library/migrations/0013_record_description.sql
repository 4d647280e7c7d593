-- Librarian-grade description (issue 10, "the record"): the collections a record belongs to
-- with its number in each (JSON list of {"title", "number"}: a record may be in more than
-- one), the edition statement, the physical description ("312 p. : ill. ; 24 cm"), the
-- public note (shown on the public page; `notes` stays the internal note, never shown) and
-- the date the copy or file entered the fund (ISO AAAA-MM-JJ, '' when unknown), which the
-- veille's "nouveautés" select on so a retro-catalogued old book is not news.

ALTER TABLE records ADD COLUMN series TEXT NOT NULL DEFAULT '[]';
ALTER TABLE records ADD COLUMN edition TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN physical_description TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN public_note TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN acquired_on TEXT NOT NULL DEFAULT '';
CREATE INDEX records_by_acquired_on ON records (acquired_on) WHERE acquired_on != '';
