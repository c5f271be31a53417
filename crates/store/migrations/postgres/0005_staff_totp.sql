-- The staff's second factor (issue 9, finding 10; ASVS 6.3.3): a TOTP secret per member,
-- ten single-use recovery codes, and staff sessions that grant nothing until the code step.

-- A member's TOTP secret (base32), never logged nor shown after enrolment. Until the member
-- types a right code, enrolled_at is NULL and the secret may be replaced. last_step is the
-- RFC 6238 time step of the last code accepted: a code is accepted once, and never an older one.
CREATE TABLE staff_totp (
    staff_id BIGINT PRIMARY KEY REFERENCES staff (id),
    secret TEXT NOT NULL,
    enrolled_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Recovery codes: SHA-256 of a code of about 79 random bits, as tokens are stored. Each works
-- once; a new enrolment replaces them all.
CREATE TABLE staff_recovery_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_recovery_codes_staff ON staff_recovery_codes (staff_id, code_hash);

-- A staff session opened by the password alone waits for the code and grants nothing.
ALTER TABLE sessions ADD COLUMN second_factor_pending BOOLEAN NOT NULL DEFAULT FALSE;
