-- Services and price lists (C3, C4): who provides each service, services hidden instead of
-- deleted, and price lists that take effect on their date.

-- The specialists who provide a service, named one by one (the administrator's choice);
-- filled from the specialty join that said it before, which the reads no longer use.
CREATE TABLE service_specialists (
    service_id BIGINT NOT NULL REFERENCES services (id),
    specialist_id BIGINT NOT NULL REFERENCES specialists (id),
    PRIMARY KEY (service_id, specialist_id)
);
CREATE INDEX service_specialists_specialist ON service_specialists (specialist_id);
INSERT INTO service_specialists (service_id, specialist_id)
    SELECT DISTINCT x.service_id, ss.specialist_id FROM service_specialties x
    JOIN specialist_specialties ss ON ss.specialty_id = x.specialty_id;

-- A hidden service is kept for the visits that name it, and is neither listed nor booked.
ALTER TABLE services ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;

-- A price list: the prices of some services from a day on. services.price_kopecks stays the
-- current price; a list is applied to it once, when its day comes (applied_at).
CREATE TABLE price_lists (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES staff (id),
    applied_at BIGINT
);
CREATE INDEX price_lists_due ON price_lists (effective_from) WHERE applied_at IS NULL;

CREATE TABLE price_list_items (
    price_list_id BIGINT NOT NULL REFERENCES price_lists (id),
    service_id BIGINT NOT NULL REFERENCES services (id),
    price_kopecks BIGINT NOT NULL CHECK (price_kopecks >= 0),
    PRIMARY KEY (price_list_id, service_id)
);
