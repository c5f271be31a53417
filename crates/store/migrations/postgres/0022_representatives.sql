-- Legal representatives (A8; 323-FZ art. 20, 22, 54) and the identity document behind a
-- completed change of personal data (K4), and the patient's postal address.

-- The postal address the clinic holds (free text, optional).
ALTER TABLE patients ADD COLUMN postal_address TEXT;

-- A representative (a patient with an account) acts for a dependent's patient record after
-- the registrar checked the documents. The document's number is stored whole and shown masked.
-- A link for a minor is live only while the dependent is under 18 (checked on read; the
-- worker ends it for the record); a guardian of an incapacitated adult keeps it.
CREATE TABLE representative_links (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    representative_id BIGINT NOT NULL REFERENCES patients (id),
    dependent_id BIGINT NOT NULL REFERENCES patients (id),
    basis TEXT NOT NULL CHECK (basis IN
        ('parent', 'adoptive_parent', 'guardian', 'trustee', 'incapacity_guardian')),
    document_kind TEXT NOT NULL,
    document_number TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff (id),
    ended_at BIGINT,
    -- NULL with ended_at: ended by the system (the dependent came of age).
    ended_by BIGINT REFERENCES staff (id),
    end_reason TEXT,
    CHECK (representative_id <> dependent_id)
);
CREATE UNIQUE INDEX representative_links_live ON representative_links
    (representative_id, dependent_id) WHERE ended_at IS NULL;
CREATE INDEX representative_links_dependent ON representative_links (dependent_id);

-- The patient a representative's session acts for; NULL: their own cabinet.
ALTER TABLE sessions ADD COLUMN acting_patient_id BIGINT REFERENCES patients (id);

-- The identity document the registrar saw before completing a change request.
ALTER TABLE change_requests ADD COLUMN document_kind TEXT;
ALTER TABLE change_requests ADD COLUMN document_number TEXT;
