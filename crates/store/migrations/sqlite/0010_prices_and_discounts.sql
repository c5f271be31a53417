-- A visit is booked for a service at a price (B1, C5): how long each service takes, the
-- discounts a clinic offers (cards, certificates, promotions; the online discount per
-- specialist or per service), and the price each visit was booked at.

-- Minutes a visit for the service takes; the free times offered for it fit this length.
ALTER TABLE services ADD COLUMN duration_minutes INTEGER NOT NULL DEFAULT 30
    CHECK (duration_minutes BETWEEN 5 AND 480);
-- The online discount of this service, over the specialist's; NULL: the specialist's.
ALTER TABLE services ADD COLUMN online_discount_percent INTEGER
    CHECK (online_discount_percent BETWEEN 0 AND 100);

-- A personal discount card: its number is what the patient types.
CREATE TABLE discount_cards (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100),
    holder TEXT NOT NULL,
    valid_until TEXT NOT NULL
);

-- A discount certificate: a sum or a percent; single-use ones are used up by one booking,
-- the others keep a balance (of a sum) that bookings spend.
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    amount_kopecks BIGINT CHECK (amount_kopecks > 0),
    percent INTEGER CHECK (percent BETWEEN 1 AND 100),
    single_use BOOLEAN NOT NULL,
    balance_kopecks BIGINT CHECK (balance_kopecks >= 0),
    valid_until TEXT NOT NULL,
    used_at BIGINT,
    CHECK ((amount_kopecks IS NULL) <> (percent IS NULL))
);

-- A promotion: by a code, or automatic (no code), on some services, for some days.
CREATE TABLE promotions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    code TEXT UNIQUE,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL
);

CREATE TABLE promotion_services (
    promotion_id INTEGER NOT NULL REFERENCES promotions (id),
    service_id INTEGER NOT NULL REFERENCES services (id),
    PRIMARY KEY (promotion_id, service_id)
);

-- The price a visit was booked at; NULL for visits booked before services were.
ALTER TABLE appointments ADD COLUMN service_id INTEGER REFERENCES services (id);
ALTER TABLE appointments ADD COLUMN base_price_kopecks BIGINT;
ALTER TABLE appointments ADD COLUMN price_kopecks BIGINT;
ALTER TABLE appointments ADD COLUMN discount_kind TEXT
    CHECK (discount_kind IN ('online', 'card', 'certificate', 'promotion'));
-- The card or code used, masked as views show it (never the whole secret).
ALTER TABLE appointments ADD COLUMN discount_code TEXT;
-- What the patient was told about the discount, in Russian.
ALTER TABLE appointments ADD COLUMN discount_reason TEXT;

-- What each booking took from a certificate, written in the booking's transaction; a cancelled
-- visit gives it back (returned_at).
CREATE TABLE certificate_uses (
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    amount_kopecks BIGINT NOT NULL,
    used_at BIGINT NOT NULL,
    returned_at BIGINT,
    PRIMARY KEY (certificate_id, appointment_id)
);
