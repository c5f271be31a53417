-- The security review (issue 9), second part.

-- The auditor reads the audit log in the back office (G6). It is held besides a member's role:
-- an administrator reads the log only if also an auditor.
ALTER TABLE staff ADD COLUMN auditor BOOLEAN NOT NULL DEFAULT FALSE;

-- A message the mail server refused for good (a 5xx answer) is not tried again: it keeps the
-- time it failed, and the back office lists it.
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
