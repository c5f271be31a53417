-- The walking skeleton: catalog, schedules, documents, one-time bookings, consents, audit, outbox.
-- Instants are Unix seconds (UTC); civil dates are 'YYYY-MM-DD' text in the clinic's zone.

CREATE TABLE branches (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    hours TEXT NOT NULL,
    metro TEXT NOT NULL DEFAULT ''
);

CREATE TABLE specialties (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE specialists (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL CHECK (gender IN ('f', 'm')),
    qualification TEXT NOT NULL,
    career_start_year INTEGER NOT NULL,
    branch_id BIGINT NOT NULL REFERENCES branches (id),
    online_booking BOOLEAN NOT NULL,
    online_discount_percent INTEGER NOT NULL DEFAULT 0
        CHECK (online_discount_percent BETWEEN 0 AND 100),
    bio TEXT NOT NULL DEFAULT ''
);
CREATE INDEX specialists_branch ON specialists (branch_id);

CREATE TABLE specialist_specialties (
    specialist_id BIGINT NOT NULL REFERENCES specialists (id),
    specialty_id BIGINT NOT NULL REFERENCES specialties (id),
    PRIMARY KEY (specialist_id, specialty_id)
);
CREATE INDEX specialist_specialties_specialty ON specialist_specialties (specialty_id);

CREATE TABLE service_groups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE services (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES service_groups (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    price_kopecks BIGINT NOT NULL CHECK (price_kopecks >= 0),
    complex BOOLEAN NOT NULL
);

CREATE TABLE service_specialties (
    service_id BIGINT NOT NULL REFERENCES services (id),
    specialty_id BIGINT NOT NULL REFERENCES specialties (id),
    PRIMARY KEY (service_id, specialty_id)
);
CREATE INDEX service_specialties_specialty ON service_specialties (specialty_id);

CREATE TABLE work_rules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    specialist_id BIGINT NOT NULL REFERENCES specialists (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    CHECK (end_minute > start_minute)
);
CREATE INDEX work_rules_specialist ON work_rules (specialist_id, valid_until);

CREATE TABLE absences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    specialist_id BIGINT NOT NULL REFERENCES specialists (id),
    from_day TEXT NOT NULL,
    until_day TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX absences_specialist ON absences (specialist_id, until_day);

CREATE TABLE documents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rules', 'privacy')),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);

CREATE TABLE patients (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    access_level TEXT NOT NULL CHECK (access_level IN ('one_time', 'unconfirmed', 'confirmed')),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT,
    created_at BIGINT NOT NULL
);
-- A one-time booking is allowed once per phone number (R4).
CREATE UNIQUE INDEX patients_one_time_phone ON patients (phone) WHERE access_level = 'one_time';

CREATE TABLE appointments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    specialist_id BIGINT NOT NULL REFERENCES specialists (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    source TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    request_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT
);
-- Never two patients in one slot (B6).
CREATE UNIQUE INDEX appointments_live_slot ON appointments (specialist_id, starts_at)
    WHERE status = 'booked';
CREATE INDEX appointments_patient ON appointments (patient_id);

-- A receipt lets the browser that made a one-time booking show it again, without the code in the URL.
CREATE TABLE receipts (
    token_hash TEXT PRIMARY KEY,
    appointment_id BIGINT NOT NULL REFERENCES appointments (id),
    expires_at BIGINT NOT NULL
);

-- The consent ledger (G1): who agreed to what, under which document version, when, how.
CREATE TABLE consents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT REFERENCES patients (id),
    visitor_ref TEXT,
    kind TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    document_version INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    ip TEXT,
    recorded_by BIGINT,
    given_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    CHECK (patient_id IS NOT NULL OR visitor_ref IS NOT NULL)
);
CREATE INDEX consents_patient ON consents (patient_id);

-- The audit log (G6): append-only. prev_hash and hash are kept for a hash chain.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT,
    patient_id BIGINT,
    ip TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT,
    hash TEXT
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Messages to send, written in the same transaction as the change that caused them (N3).
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    delivered_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
