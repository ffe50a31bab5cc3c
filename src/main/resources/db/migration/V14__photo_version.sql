-- The stored photo doorsync last applied, as "<bytes>@<updated_at>" of its CRM row: while the row shows the same,
-- the photo's key is taken from here instead of hashing its bytes again at every run of everyone.
alter table person_link add column photo_version text;
