-- A branch's second phone (a call centre, the reception desk), shown beside the main one.
ALTER TABLE branches ADD COLUMN second_phone TEXT;
