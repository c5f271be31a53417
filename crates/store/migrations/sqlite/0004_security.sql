-- The security review (issue 9).

-- The audit log becomes a hash chain (G6): each row names the request it came from and how it
-- ended, and carries the SHA-256 of the previous row's hash and its own content. The chain's
-- head (one row) is locked by every writer, so rows join the chain one at a time. Rows from
-- before this migration stay outside the chain: it starts at first_id.
ALTER TABLE audit_log ADD COLUMN request_id TEXT;
ALTER TABLE audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'success'
    CHECK (result IN ('success', 'failure'));
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    first_id BIGINT NOT NULL,
    last_id BIGINT NOT NULL,
    last_hash TEXT
);
INSERT INTO audit_chain (id, first_id, last_id, last_hash)
    SELECT 1, COALESCE(MAX(id), 0) + 1, COALESCE(MAX(id), 0), NULL FROM audit_log;
-- Only the next row of the chain goes in: no row without its hash, none out of order, and no
-- INSERT OR REPLACE over an existing row (a replace deletes without firing the delete trigger).
CREATE TRIGGER audit_log_in_chain BEFORE INSERT ON audit_log
WHEN NEW.hash IS NULL
    OR NEW.id IS NOT (SELECT last_id FROM audit_chain WHERE id = 1)
    OR EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log takes only the next row of its chain'); END;
CREATE TRIGGER audit_chain_forward BEFORE UPDATE ON audit_chain
WHEN NEW.last_id < OLD.last_id OR NEW.first_id <> OLD.first_id
BEGIN SELECT RAISE(ABORT, 'the audit chain only moves forward'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'the audit chain only moves forward'); END;

-- What the rate limits count, not only failed sign-ins: one-time bookings, loss reports,
-- confirmation letters. Keys are SHA-256 of what is counted.
ALTER TABLE login_failures RENAME TO rate_events;

-- A report of lost credentials from the public form only sends the owner a letter; one of its
-- links blocks access. SQLite cannot change a CHECK: the table is built again (nothing refers
-- to it).
CREATE TABLE account_secrets_new (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    purpose TEXT NOT NULL CHECK (purpose IN
        ('confirm_email', 'reset_password', 'one_time_password', 'block_account')),
    secret_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
INSERT INTO account_secrets_new (id, account_id, purpose, secret_hash, expires_at, used_at,
    created_at)
    SELECT id, account_id, purpose, secret_hash, expires_at, used_at, created_at
    FROM account_secrets;
DROP TABLE account_secrets;
ALTER TABLE account_secrets_new RENAME TO account_secrets;
CREATE INDEX account_secrets_account ON account_secrets (account_id, purpose);
CREATE INDEX account_secrets_hash ON account_secrets (secret_hash);

-- A booking's request key is bound to its caller and to what it asked: a hash of both. The
-- same request gets its booking back; another request with that key is refused.
ALTER TABLE appointments ADD COLUMN request_hash TEXT;
