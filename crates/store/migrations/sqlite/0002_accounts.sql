-- Patient accounts, staff, sessions and single-use secrets (issue 3: A1–A3, A6, A9, K7).

-- The clinic's patient number (номер медицинской карты), linked by the registrar (A9).
ALTER TABLE patients ADD COLUMN card_number TEXT;
CREATE UNIQUE INDEX patients_card_number ON patients (card_number) WHERE card_number IS NOT NULL;

-- A patient's login to the cabinet. The login is the e-mail, lower case.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL UNIQUE REFERENCES patients (id),
    login TEXT NOT NULL UNIQUE,
    -- Argon2id PHC string; NULL until the patient sets a personal password.
    password_hash TEXT,
    email_confirmed_at BIGINT,
    -- The rules the patient acknowledged on paper at the clinic (A2): version and reference.
    paper_rules_version INTEGER,
    paper_reference TEXT,
    -- Set when the patient reported lost credentials or the clinic suspended the account.
    blocked_at BIGINT,
    blocked_reason TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('registrar', 'administrator')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    suspended_at BIGINT
);

-- Signed-in browsers and apps. Only the token's SHA-256 is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER REFERENCES accounts (id),
    staff_id INTEGER REFERENCES staff (id),
    -- Sent back in every form of this session (CSRF).
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    CHECK ((account_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- Single-use secrets: e-mail confirmation and reset links (SHA-256 of a 256-bit token) and
-- one-time passwords (Argon2id, because they are short). A new one voids the older ones.
CREATE TABLE account_secrets (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'one_time_password')),
    secret_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX account_secrets_account ON account_secrets (account_id, purpose);
CREATE INDEX account_secrets_hash ON account_secrets (secret_hash);

-- Failed sign-ins, for throttling. The key is a SHA-256 of the login and/or the address.
CREATE TABLE login_failures (
    key_hash TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);

-- Messages from the clinic to a patient's cabinet (K3).
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX messages_patient ON messages (patient_id, created_at);

-- Patients' own changes of visits, for the registrar's feed (N2).
ALTER TABLE appointments ADD COLUMN updated_at BIGINT;
CREATE INDEX appointments_patient_start ON appointments (patient_id, starts_at);
