-- A patient's private calendar feed (B8): the address holds a 128-bit secret of which only
-- the SHA-256 is kept here. One row per patient: revoking clears the secret and keeps the
-- patient's choice of what the events say (show_details), so a new feed says it too.
CREATE TABLE calendar_feeds (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    -- NULL: no live feed (never made, or revoked).
    secret_hash TEXT UNIQUE,
    -- When the live secret was made.
    created_at BIGINT,
    -- When a calendar last read the live feed (kept coarse: at most once a minute).
    last_fetched_at BIGINT,
    -- Whether events name the specialist and the service; off: a neutral summary only.
    show_details BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL,
    CHECK ((secret_hash IS NULL) = (created_at IS NULL))
);
