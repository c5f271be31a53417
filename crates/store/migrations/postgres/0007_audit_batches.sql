-- A transaction that writes several audit rows takes their ids from the chain's head at once
-- and moves the head's hash once: the rows go in after the head, each the next one of the
-- chain. Still no row without its hash, none out of order or below the last one written.
-- The head's row lock, taken when the ids are taken, keeps concurrent writers in turn.
CREATE OR REPLACE FUNCTION audit_log_in_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.hash IS NULL
        OR NEW.id > (SELECT last_id FROM audit_chain WHERE id = 1)
        OR NEW.id <> COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1 THEN
        RAISE EXCEPTION 'the audit log takes only the next row of its chain';
    END IF;
    RETURN NEW;
END $$;
