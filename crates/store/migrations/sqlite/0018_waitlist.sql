-- The fair waiting list (B8). A patient waits for a specialist (and a service) between two
-- days (YYYY-MM-DD in the clinic's zone); the line is the order of joining.
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    specialist_id INTEGER NOT NULL REFERENCES specialists (id),
    service_id INTEGER REFERENCES services (id),
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    -- waiting: in line; booked: booked a time offered; left: the patient left the line.
    status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'left')),
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    CHECK (from_day <= to_day)
);
CREATE INDEX waitlist_entries_line ON waitlist_entries (specialist_id, created_at, id)
    WHERE status = 'waiting';
CREATE INDEX waitlist_entries_patient ON waitlist_entries (patient_id, created_at);

-- A time offered to an entry and held for its patient until expires_at: nobody else can book
-- it while the offer is open. The partial unique indexes make one open offer per time and one
-- per entry, whichever instance makes it.
CREATE TABLE waitlist_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id INTEGER NOT NULL REFERENCES waitlist_entries (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    specialist_id INTEGER NOT NULL REFERENCES specialists (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    -- open: held now; booked: the patient booked it; missed: the hold ran out unused;
    -- released: the patient left the line.
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'booked', 'missed', 'released')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE UNIQUE INDEX waitlist_offers_open_time ON waitlist_offers (specialist_id, starts_at)
    WHERE status = 'open';
CREATE UNIQUE INDEX waitlist_offers_open_entry ON waitlist_offers (entry_id)
    WHERE status = 'open';
CREATE INDEX waitlist_offers_entry ON waitlist_offers (entry_id, starts_at);
