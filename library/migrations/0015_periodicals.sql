-- Periodicals (issue 10, PMB's "bulletinage"). A periodical title is a record of type 'revue'
-- (its title, ISSN and publisher are the record's, so it is searched and exported like any
-- other) with a frequency; it has issues (number, date, received or expected); an article
-- analysed from an issue is an ordinary record that names its host issue and its pages; a
-- copy may belong to an issue (a copy of the periodical's record, for that issue).

CREATE TABLE periodicals (
    record_id INTEGER PRIMARY KEY REFERENCES records (id),
    frequency TEXT NOT NULL DEFAULT 'irregulier' CHECK (frequency IN (
                  'quotidien', 'hebdomadaire', 'bimensuel', 'mensuel', 'bimestriel',
                  'trimestriel', 'semestriel', 'annuel', 'irregulier'))
);

CREATE TABLE issues (
    id            INTEGER PRIMARY KEY,
    periodical_id INTEGER NOT NULL REFERENCES periodicals (record_id),
    number        TEXT NOT NULL CHECK (length(trim(number)) > 0),
    date          TEXT NOT NULL DEFAULT '',   -- ISO 8601, possibly partial: "2010-12"
    status        TEXT NOT NULL DEFAULT 'expected' CHECK (status IN ('expected', 'received')),
    received_on   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (periodical_id, number)
);
CREATE INDEX issues_late ON issues (date) WHERE status = 'expected';

-- The host of an article: one issue, and the pages in it ("12-25", "7", '' when unknown).
CREATE TABLE article_hosts (
    record_id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    issue_id  INTEGER NOT NULL REFERENCES issues (id),
    pages     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX article_hosts_by_issue ON article_hosts (issue_id);

ALTER TABLE copies ADD COLUMN issue_id INTEGER REFERENCES issues (id);
CREATE INDEX copies_by_issue ON copies (issue_id) WHERE issue_id IS NOT NULL;
