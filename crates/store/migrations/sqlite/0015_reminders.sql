-- Reminders before visits (B8). A patient may switch them off in the cabinet; on by default.
ALTER TABLE patients ADD COLUMN reminders BOOLEAN NOT NULL DEFAULT TRUE;
-- When the patient last switched them: switching on again brings no reminder for a visit
-- already inside the window, as booking one there brings none.
ALTER TABLE patients ADD COLUMN reminders_changed_at BIGINT;

-- One row per reminder queued: a visit at one start time is reminded of once, whichever
-- instance queues it (the primary key decides), and a moved visit (a new start) once more.
CREATE TABLE visit_reminders (
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    starts_at BIGINT NOT NULL,
    queued_at BIGINT NOT NULL,
    PRIMARY KEY (appointment_id, starts_at)
);

-- The reminder pass looks for planned visits by their start.
CREATE INDEX appointments_booked_start ON appointments (starts_at) WHERE status = 'booked';
