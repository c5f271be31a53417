-- The consent ledger in full (G1), versions of the documents (O2) and visit statistics (O3).

-- A document's version takes effect at effective_at (published ahead, announced until then);
-- hash is the SHA-256 of its Russian text, which every consent row cites; a version that
-- requires acceptance is asked of every patient at the next sign-in once in force.
ALTER TABLE documents ADD COLUMN hash TEXT;
ALTER TABLE documents ADD COLUMN effective_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN requires_acceptance BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE documents SET effective_at = published_at;
-- SQLite has no SHA-256: the store fills hash for old rows when it migrates.

-- Each consent cites the hash of the document's text it was given under, and says who
-- recorded it: the patient, a legal representative, or a registrar (paper, at the clinic).
ALTER TABLE consents ADD COLUMN document_hash TEXT;
ALTER TABLE consents ADD COLUMN recorded_as TEXT NOT NULL DEFAULT 'patient'
    CHECK (recorded_as IN ('patient', 'representative', 'registrar'));
UPDATE consents SET recorded_as = 'registrar' WHERE recorded_by IS NOT NULL;
CREATE INDEX consents_patient_kind ON consents (patient_id, kind) WHERE withdrawn_at IS NULL;

-- Page views of visitors who allowed statistics cookies (O3): path without query, referrer
-- as origin and path, the full IP (shown only truncated), deleted after the retention period.
CREATE TABLE page_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    referrer TEXT,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX page_views_at ON page_views (at);
