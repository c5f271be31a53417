-- Schedules that roll (C2, B4). A weekly template may run until further notice: valid_until
-- NULL is an open end, so free time covers the booking horizon whatever the date.
-- SQLite cannot drop a NOT NULL, so the table is built again (nothing refers to it).
CREATE TABLE work_rules_new (
    id INTEGER PRIMARY KEY,
    specialist_id INTEGER NOT NULL REFERENCES specialists (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    CHECK (end_minute > start_minute),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
INSERT INTO work_rules_new (id, specialist_id, weekday, start_minute, end_minute, slot_minutes,
    valid_from, valid_until)
SELECT id, specialist_id, weekday, start_minute, end_minute, slot_minutes, valid_from,
    valid_until FROM work_rules;
DROP TABLE work_rules;
ALTER TABLE work_rules_new RENAME TO work_rules;
CREATE INDEX work_rules_specialist ON work_rules (specialist_id, valid_until);

-- Exceptions to the templates: days away (a vacation, sick leave, a day off) and days of other
-- hours (an extra working day with its hours and slot step, a shortened day with the hours
-- kept). They were `absences`, whose `reason` ('vacation', 'day_off') is now the `kind`.
CREATE TABLE schedule_exceptions (
    id INTEGER PRIMARY KEY,
    specialist_id INTEGER NOT NULL REFERENCES specialists (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('vacation', 'sick_leave', 'day_off', 'extra_day', 'short_day')),
    from_day TEXT NOT NULL,
    until_day TEXT NOT NULL,
    start_minute INTEGER,
    end_minute INTEGER,
    slot_minutes INTEGER CHECK (slot_minutes > 0),
    CHECK (until_day >= from_day),
    CHECK ((kind IN ('extra_day', 'short_day')) = (start_minute IS NOT NULL AND end_minute IS NOT NULL)),
    CHECK (end_minute > start_minute),
    CHECK (kind <> 'extra_day' OR slot_minutes IS NOT NULL)
);
INSERT INTO schedule_exceptions (id, specialist_id, kind, from_day, until_day)
SELECT id, specialist_id, reason, from_day, until_day FROM absences;
DROP TABLE absences;
CREATE INDEX schedule_exceptions_specialist ON schedule_exceptions (specialist_id, until_day);

-- Booked visits whose time a schedule change took away, listed for the registrar to move or
-- cancel (no visit silently disappears). A row stands while the visit is booked at the listed
-- start; moving or cancelling it ends the listing without touching this table.
CREATE TABLE visits_to_move (
    appointment_id BIGINT PRIMARY KEY REFERENCES appointments (id),
    starts_at BIGINT NOT NULL,
    listed_at BIGINT NOT NULL
);
