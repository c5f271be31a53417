-- The ages a specialty sees, in full years, both ends included (a pediatrician 0–17, a
-- therapist from 18); NULL is an open end. The registrar is warned when a patient's age falls
-- outside every specialty of the specialist they book with, and may book all the same.
ALTER TABLE specialties ADD COLUMN min_age INTEGER CHECK (min_age BETWEEN 0 AND 150);
ALTER TABLE specialties ADD COLUMN max_age INTEGER CHECK (max_age BETWEEN 0 AND 150);
