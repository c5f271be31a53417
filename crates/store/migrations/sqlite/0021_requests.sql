-- Subject requests (G8; 152-FZ art. 14, 20, 21): a patient's request for access to their data,
-- its correction, a stop of processing or deletion, each with the law's due date counted in
-- the clinic's zone from the production calendar (YYYY-MM-DD).
CREATE TABLE subject_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    kind TEXT NOT NULL CHECK (kind IN ('access', 'correction', 'stop', 'deletion')),
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'in_progress', 'extended', 'answered', 'refused')),
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- The consent withdrawn with the request (personal_data or health_data), if any.
    withdrawn_consent TEXT,
    -- The one extension an access request may have (art. 14 p. 3), and its reason.
    extension_reason TEXT,
    -- The clinic's answer, or the reason of a refusal.
    answer TEXT,
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by INTEGER REFERENCES staff (id)
);
CREATE INDEX subject_requests_patient ON subject_requests (patient_id, created_at);
CREATE INDEX subject_requests_due ON subject_requests (due_on, id);

-- Written requests and complaints (K6, P8.2), with a category; the tax certificate's year and
-- taxpayer are in details (JSON).
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    category TEXT NOT NULL CHECK (category IN
        ('tax_certificate', 'complaint', 'gratitude', 'question', 'medical_copies', 'other')),
    text TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'answered')),
    due_on TEXT NOT NULL,
    answer TEXT,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    answered_by INTEGER REFERENCES staff (id)
);
CREATE INDEX appeals_patient ON appeals (patient_id, created_at);
CREATE INDEX appeals_due ON appeals (due_on, id);

-- Files patients and staff attach (PDF, JPEG, PNG, recognised by content), kept in the
-- database so backups hold them, under a random name we give. owner_kind/owner_id say what
-- the file belongs to; patient_id whose it is, for the check on every download.
CREATE TABLE stored_files (
    name TEXT PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    content_type TEXT NOT NULL
        CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    -- Added by the clinic (an answer's attachment) rather than the patient.
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX stored_files_owner ON stored_files (owner_kind, owner_id);

-- The disclosure register (G3): a patient's data given to an authority or a third party,
-- with its legal basis.
CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    recipient TEXT NOT NULL,
    data_given TEXT NOT NULL,
    basis TEXT NOT NULL CHECK (basis IN
        ('court_or_investigator', 'medical_secrecy_exception', 'written_consent', 'other')),
    basis_text TEXT NOT NULL DEFAULT '',
    disclosed_on TEXT NOT NULL,
    document_ref TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX disclosures_patient ON disclosures (patient_id, disclosed_on);

-- The production calendar the administrator uploaded: it replaces the shipped one for every
-- year it lists a day of.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'shortened')),
    uploaded_at BIGINT NOT NULL
);
