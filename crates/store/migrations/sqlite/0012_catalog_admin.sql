-- Catalog administration (C1). A specialist may work at several branches: specialist_branches
-- lists them all. specialists.branch_id stays as the main one (the first the administrator
-- picks): a visit names no branch, so its letters and pages give the main branch's address.
CREATE TABLE specialist_branches (
    specialist_id INTEGER NOT NULL REFERENCES specialists (id),
    branch_id INTEGER NOT NULL REFERENCES branches (id),
    PRIMARY KEY (specialist_id, branch_id)
);
CREATE INDEX specialist_branches_branch ON specialist_branches (branch_id);
INSERT INTO specialist_branches (specialist_id, branch_id) SELECT id, branch_id FROM specialists;

-- An academic degree («кандидат медицинских наук»), apart from the qualification category.
ALTER TABLE specialists ADD COLUMN degree TEXT NOT NULL DEFAULT '';
ALTER TABLE specialists ADD COLUMN degree_en TEXT;
-- A specialist the clinic no longer shows; their visits keep pointing at them.
ALTER TABLE specialists ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;

-- A specialist's photo, as we re-encoded it, kept in the database so backups hold it. The
-- name is ours (random, new on every upload), so it is served with a long cache lifetime.
CREATE TABLE specialist_photos (
    name TEXT PRIMARY KEY,
    specialist_id INTEGER NOT NULL UNIQUE REFERENCES specialists (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg')),
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
