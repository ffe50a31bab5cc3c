-- What creation_in_flight held, for every write that stamps a DoorFlow person with this installation's
-- system_id: a creation (before the POST) and, now, an adoption (before the PUT that stamps an unmanaged
-- person). Removed with the link. A lost answer, a crash or a failed outcome write between the stamp and the
-- link leaves the person known as this installation's own, so the next run links it (or revokes it).
alter table creation_in_flight rename to stamp_in_flight;
