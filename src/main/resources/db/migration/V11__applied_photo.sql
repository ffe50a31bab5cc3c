-- What doorsync last did with a member's photo: the DoorFlow person it went to, the CRM's key of that photo (a
-- hash of its bytes, or its URL and when that was set) and whether it was rejected (too large, not an image,
-- unreachable: not tried again until the key changes). Null: doorsync set no photo on that person.
alter table person_link add column photo_person bigint;
alter table person_link add column photo_key text;
alter table person_link add column photo_rejected boolean not null default false;
