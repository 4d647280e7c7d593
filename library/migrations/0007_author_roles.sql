-- The role of each person or body on a record (issue 10's "author roles"): author, translator,
-- editor (director of the publication), illustrator, writer of the preface. Exchange formats
-- carry it as relator codes (UNIMARC $4 070/730/340/440/080, MARC 21 $4 aut/trl/edt/ill/aui).

ALTER TABLE record_authors ADD COLUMN role TEXT NOT NULL DEFAULT 'author'
    CHECK (role IN ('author', 'translator', 'editor', 'illustrator', 'preface'));
