-- The clinic's back office (issue 3): patients' change requests (K4), the staff's single-use
-- secrets (the first administrator's bootstrap, a new colleague's password setup), and an
-- index for the registrar's feed (N2).

-- A patient asks to change personal data; the registrar completes it after checking the
-- documents in person, or rejects it with a reason.
CREATE TABLE change_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    -- The requested new values as a JSON object: last_name, first_name, middle_name,
    -- birth_date, phone, email (only the fields asked to change).
    fields TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'rejected')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES staff (id),
    reason TEXT
);
CREATE INDEX change_requests_patient ON change_requests (patient_id, created_at);
CREATE INDEX change_requests_pending ON change_requests (created_at) WHERE status = 'pending';

-- Single-use secrets of staff: SHA-256 of a 128-bit token. 'bootstrap' creates the first
-- administrator (no staff_id); 'setup' lets a new colleague set a personal password.
CREATE TABLE staff_secrets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id BIGINT REFERENCES staff (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('bootstrap', 'setup')),
    secret_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_secrets_hash ON staff_secrets (secret_hash);

-- The registrar's feed reads patients' visit changes and credential reports by action.
CREATE INDEX audit_log_action ON audit_log (action, at);
