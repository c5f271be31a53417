-- Blocking of a patient's personal data (G4; 152-FZ art. 21), the clinic's reason for
-- suspending, cancelling or ending an account (A5, A7), and incidents with their notices
-- (G5; 152-FZ art. 21 p. 3.1).

-- Set while the patient's data is blocked: nothing processes it until unblocked.
ALTER TABLE patients ADD COLUMN data_blocked_at BIGINT;

-- Each blocking with its unblocking: on whose request, the basis and the documents seen.
CREATE TABLE data_blocks (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    requested_by TEXT NOT NULL CHECK (requested_by IN ('patient', 'representative', 'authority')),
    -- The authority's name, when an authority asked.
    authority TEXT,
    basis TEXT NOT NULL,
    document_type TEXT NOT NULL,
    document_ref TEXT NOT NULL,
    -- YYYY-MM-DD.
    document_date TEXT NOT NULL,
    blocked_at BIGINT NOT NULL,
    blocked_by INTEGER NOT NULL REFERENCES staff (id),
    unblocked_at BIGINT,
    unblocked_by INTEGER REFERENCES staff (id),
    unblock_reason TEXT
);
CREATE UNIQUE INDEX data_blocks_live ON data_blocks (patient_id) WHERE unblocked_at IS NULL;

-- The reason the clinic gave when it suspended, cancelled or ended an account: shown to the
-- patient only after the right password, never in a letter.
ALTER TABLE accounts ADD COLUMN blocked_note TEXT;

-- An incident with personal data and the notices to the supervisory authority.
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    summary TEXT NOT NULL,
    found_at BIGINT NOT NULL,
    -- The data categories, their stored names separated by commas.
    categories TEXT NOT NULL,
    causes TEXT NOT NULL,
    harm TEXT NOT NULL,
    measures TEXT NOT NULL,
    contact TEXT NOT NULL,
    -- For the 72-hour notice: the internal investigation and the people responsible.
    investigation TEXT,
    responsible TEXT,
    patient_count BIGINT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES staff (id),
    created_at BIGINT NOT NULL,
    notice_24_sent_at BIGINT,
    notice_24_sent_by INTEGER REFERENCES staff (id),
    notice_72_sent_at BIGINT,
    notice_72_sent_by INTEGER REFERENCES staff (id)
);

CREATE TABLE incident_patients (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    PRIMARY KEY (incident_id, patient_id)
);
