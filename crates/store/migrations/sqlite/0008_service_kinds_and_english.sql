-- What each service is: the directory's «от» price is the lowest consultation's, and a
-- specialist's page lists services by kind. A complex program is the kind 'program', so the
-- old flag goes. Rows that exist get their kind from the nomenclature code: B01 visits, A04,
-- A05, A06 and A12 instrumental examinations, A08, A09, A26 and B03 laboratory tests.
ALTER TABLE services ADD COLUMN kind TEXT NOT NULL DEFAULT 'procedure'
    CHECK (kind IN ('consultation', 'procedure', 'diagnostics', 'test', 'certificate', 'program'));
UPDATE services SET kind = CASE
    WHEN complex THEN 'program'
    WHEN code LIKE 'B01.%' THEN 'consultation'
    WHEN substr(code, 1, 4) IN ('A04.', 'A05.', 'A06.', 'A12.') THEN 'diagnostics'
    WHEN substr(code, 1, 4) IN ('A08.', 'A09.', 'A26.', 'B03.') THEN 'test'
    ELSE 'procedure'
END;
-- SQLite keeps the column's default; every insert names the kind.
ALTER TABLE services DROP COLUMN complex;

-- The English versions of the catalog's texts and documents; NULL where there is none, and
-- the Russian text is shown instead.
ALTER TABLE branches ADD COLUMN name_en TEXT;
ALTER TABLE branches ADD COLUMN address_en TEXT;
ALTER TABLE branches ADD COLUMN hours_en TEXT;
ALTER TABLE branches ADD COLUMN metro_en TEXT;
ALTER TABLE specialties ADD COLUMN name_en TEXT;
ALTER TABLE specialists ADD COLUMN qualification_en TEXT;
ALTER TABLE specialists ADD COLUMN bio_en TEXT;
ALTER TABLE service_groups ADD COLUMN name_en TEXT;
ALTER TABLE services ADD COLUMN name_en TEXT;
ALTER TABLE documents ADD COLUMN title_en TEXT;
ALTER TABLE documents ADD COLUMN body_en TEXT;
