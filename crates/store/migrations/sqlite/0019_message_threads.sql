-- Threads between the clinic and a patient (K3, N2): staff write from the patient's card, the
-- patient answers in the cabinet or starts a thread of their own; the clinic's notices (visit
-- changes, offers) are one-message threads from the clinic.
CREATE TABLE message_threads (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    subject TEXT NOT NULL,
    started_by TEXT NOT NULL CHECK (started_by IN ('clinic', 'patient')),
    created_at BIGINT NOT NULL,
    -- The newest message's time: both lists put the latest activity first.
    last_message_at BIGINT NOT NULL
);
CREATE INDEX message_threads_patient ON message_threads (patient_id, last_message_at);

-- Each message belongs to a thread and has an author side (and the member of staff who wrote
-- it, for the clinic's). `read_at` is when the other side opened it.
ALTER TABLE messages ADD COLUMN thread_id INTEGER REFERENCES message_threads (id);
ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT 'clinic'
    CHECK (author IN ('clinic', 'patient'));
ALTER TABLE messages ADD COLUMN staff_id INTEGER REFERENCES staff (id);

-- Every message so far was the clinic's notice: each becomes a thread of its own, under the
-- message's id, so the cabinet's old links to a message open its thread.
INSERT INTO message_threads (id, patient_id, subject, started_by, created_at, last_message_at)
    SELECT id, patient_id, subject, 'clinic', created_at, created_at FROM messages;
UPDATE messages SET thread_id = id;
CREATE INDEX messages_thread ON messages (thread_id, created_at);
-- The staff's unread count looks for the patients' unread messages.
CREATE INDEX messages_unread ON messages (author, read_at);
