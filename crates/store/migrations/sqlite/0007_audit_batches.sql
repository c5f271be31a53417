-- A transaction that writes several audit rows takes their ids from the chain's head at once
-- and moves the head's hash once: the rows go in after the head, each the next one of the
-- chain. Still no row without its hash, none out of order or below the last one written, and
-- no INSERT OR REPLACE over an existing row.
DROP TRIGGER audit_log_in_chain;
CREATE TRIGGER audit_log_in_chain BEFORE INSERT ON audit_log
WHEN NEW.hash IS NULL
    OR NEW.id > (SELECT last_id FROM audit_chain WHERE id = 1)
    OR NEW.id <> COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1
BEGIN SELECT RAISE(ABORT, 'the audit log takes only the next row of its chain'); END;
