-- Schedules that roll (C2, B4). A weekly template may run until further notice: valid_until
-- NULL is an open end, so free time covers the booking horizon whatever the date.
ALTER TABLE work_rules ALTER COLUMN valid_until DROP NOT NULL;
ALTER TABLE work_rules ADD CHECK (valid_until IS NULL OR valid_until >= valid_from);

-- Exceptions to the templates: days away (a vacation, sick leave, a day off) and days of other
-- hours (an extra working day with its hours and slot step, a shortened day with the hours
-- kept). They were `absences`, whose `reason` ('vacation', 'day_off') is now the `kind`.
ALTER TABLE absences RENAME TO schedule_exceptions;
ALTER TABLE schedule_exceptions RENAME COLUMN reason TO kind;
ALTER TABLE schedule_exceptions ADD COLUMN start_minute INTEGER;
ALTER TABLE schedule_exceptions ADD COLUMN end_minute INTEGER;
ALTER TABLE schedule_exceptions ADD COLUMN slot_minutes INTEGER CHECK (slot_minutes > 0);
ALTER TABLE schedule_exceptions ADD
    CHECK (kind IN ('vacation', 'sick_leave', 'day_off', 'extra_day', 'short_day'));
ALTER TABLE schedule_exceptions ADD CHECK (until_day >= from_day);
ALTER TABLE schedule_exceptions ADD
    CHECK ((kind IN ('extra_day', 'short_day')) = (start_minute IS NOT NULL AND end_minute IS NOT NULL));
ALTER TABLE schedule_exceptions ADD CHECK (end_minute > start_minute);
ALTER TABLE schedule_exceptions ADD CHECK (kind <> 'extra_day' OR slot_minutes IS NOT NULL);
DROP INDEX absences_specialist;
CREATE INDEX schedule_exceptions_specialist ON schedule_exceptions (specialist_id, until_day);

-- Booked visits whose time a schedule change took away, listed for the registrar to move or
-- cancel (no visit silently disappears). A row stands while the visit is booked at the listed
-- start; moving or cancelling it ends the listing without touching this table.
CREATE TABLE visits_to_move (
    appointment_id BIGINT PRIMARY KEY REFERENCES appointments (id),
    starts_at BIGINT NOT NULL,
    listed_at BIGINT NOT NULL
);
