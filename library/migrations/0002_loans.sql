-- Loans of paper copies to borrowers, and reservations.
-- The rules that must never break are enforced here, by the database itself, so that no code
-- path (web desk, CLI, a script, two desks at once) can bypass them:
--   * a copy has at most one active loan (partial UNIQUE index: race-proof);
--   * only a copy of a live paper record, physically available, can be lent (trigger);
--   * a suspended borrower can neither borrow nor renew nor reserve (triggers);
--   * a borrower with active loans cannot be deleted (trigger); erasing one anonymises the
--     loan history (ON DELETE SET NULL) but keeps the category, for statistics;
--   * a returned loan stays returned (trigger).
-- The error texts are stable: library/loans.py maps them to LoanRefusal reasons.

CREATE TABLE borrowers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    organisation     TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT 'autre' CHECK (length(category) > 0),
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    suspended        INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    suspended_reason TEXT NOT NULL DEFAULT '',
    calendar_token   TEXT UNIQUE,             -- secret of the borrower's iCalendar feed
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE loans (
    id                INTEGER PRIMARY KEY,
    copy_id           INTEGER NOT NULL REFERENCES copies (id),
    borrower_id       INTEGER REFERENCES borrowers (id) ON DELETE SET NULL,
    borrower_category TEXT NOT NULL DEFAULT 'autre',   -- kept when the borrower is erased
    loan_date         TEXT NOT NULL,                   -- ISO dates (YYYY-MM-DD)
    due_date          TEXT NOT NULL,
    return_date       TEXT,                            -- NULL while the loan is active
    renewals          INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),
    created_at        TEXT NOT NULL,
    CHECK (due_date >= loan_date),
    CHECK (return_date IS NULL OR return_date >= loan_date),
    CHECK (return_date IS NOT NULL OR borrower_id IS NOT NULL)  -- an active loan has a borrower
);
CREATE UNIQUE INDEX loans_one_active_per_copy ON loans (copy_id) WHERE return_date IS NULL;
CREATE INDEX loans_by_borrower ON loans (borrower_id);
CREATE INDEX loans_by_copy ON loans (copy_id);
CREATE INDEX loans_active_by_due ON loans (due_date) WHERE return_date IS NULL;

CREATE TRIGGER loans_check_out BEFORE INSERT ON loans
BEGIN
    SELECT RAISE(ABORT, 'loan refused: unknown copy')
    WHERE NOT EXISTS (SELECT 1 FROM copies WHERE id = NEW.copy_id);
    SELECT RAISE(ABORT, 'loan refused: not a paper record')
    WHERE (SELECT r.support FROM copies c JOIN records r ON r.id = c.record_id
           WHERE c.id = NEW.copy_id) != 'papier';
    SELECT RAISE(ABORT, 'loan refused: record deleted')
    WHERE (SELECT r.deleted FROM copies c JOIN records r ON r.id = c.record_id
           WHERE c.id = NEW.copy_id) = 1;
    SELECT RAISE(ABORT, 'loan refused: copy not available')
    WHERE (SELECT status FROM copies WHERE id = NEW.copy_id) != 'available';
    SELECT RAISE(ABORT, 'loan refused: borrower suspended')
    WHERE (SELECT suspended FROM borrowers WHERE id = NEW.borrower_id) = 1;
    SELECT RAISE(ABORT, 'loan refused: already on loan')
    WHERE NEW.return_date IS NULL
      AND EXISTS (SELECT 1 FROM loans WHERE copy_id = NEW.copy_id AND return_date IS NULL);
END;

CREATE TRIGGER loans_stay_returned BEFORE UPDATE ON loans
WHEN OLD.return_date IS NOT NULL
 AND (NEW.return_date IS NOT OLD.return_date OR NEW.due_date != OLD.due_date
      OR NEW.copy_id != OLD.copy_id)
BEGIN
    SELECT RAISE(ABORT, 'loan refused: loan already returned');
END;

CREATE TRIGGER loans_renew_not_suspended BEFORE UPDATE OF due_date ON loans
WHEN NEW.due_date != OLD.due_date
 AND (SELECT suspended FROM borrowers WHERE id = NEW.borrower_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'loan refused: borrower suspended');
END;

CREATE TRIGGER borrowers_keep_active_loans BEFORE DELETE ON borrowers
WHEN EXISTS (SELECT 1 FROM loans WHERE borrower_id = OLD.id AND return_date IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'loan refused: borrower has active loans');
END;

-- A copy stays on a paper record: the record cannot become electronic while it has copies.
CREATE TRIGGER records_with_copies_stay_paper BEFORE UPDATE OF support ON records
WHEN NEW.support != 'papier' AND EXISTS (SELECT 1 FROM copies WHERE record_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'copies belong to paper records');
END;

-- Reservations: a queue per paper record (whichever copy comes back first), in id order.
CREATE TABLE reservations (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES records (id),
    borrower_id INTEGER NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
    reserved_on TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'waiting'
                CHECK (status IN ('waiting', 'fulfilled', 'cancelled')),
    closed_on   TEXT,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX reservations_once_per_borrower ON reservations (record_id, borrower_id)
    WHERE status = 'waiting';
CREATE INDEX reservations_by_record ON reservations (record_id, status);

CREATE TRIGGER reservations_check BEFORE INSERT ON reservations
BEGIN
    SELECT RAISE(ABORT, 'loan refused: not a paper record')
    WHERE (SELECT support FROM records WHERE id = NEW.record_id) != 'papier';
    SELECT RAISE(ABORT, 'loan refused: borrower suspended')
    WHERE (SELECT suspended FROM borrowers WHERE id = NEW.borrower_id) = 1;
END;
