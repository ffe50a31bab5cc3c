-- Fields doorsync had to put back in DoorFlow while the CRM was unchanged, per member: a JSON object
-- {"field": {"repairs": n, "seen": "<fingerprint of DoorFlow's value>"}}. Never a value itself.
alter table person_link add column drift text not null default '{}';
