-- Confirmation calls (B7, R10): every call attempt the registrar records, several per visit.
CREATE TABLE call_attempts (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    outcome TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    called_at BIGINT NOT NULL
);
CREATE INDEX call_attempts_appointment ON call_attempts (appointment_id, id);

-- What happened to a visit whose time came (arrived, completed, no-show), when and by whom.
-- The status keeps its CHECK (booked/cancelled): an outcome is a fact beside it.
ALTER TABLE appointments ADD COLUMN outcome TEXT;
ALTER TABLE appointments ADD COLUMN outcome_at BIGINT;
ALTER TABLE appointments ADD COLUMN outcome_by INTEGER;

-- When the registrar last reopened online booking for the patient: no-shows of visits
-- that started before it no longer count towards closing it.
ALTER TABLE patients ADD COLUMN no_shows_lifted_at BIGINT;
