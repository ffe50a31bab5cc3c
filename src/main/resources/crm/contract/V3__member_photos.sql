-- Optional: members' photos, in a relation of their own so the members read stays small (each run reads a
-- hash per photo; the bytes only when a photo changed). A photo is either bytes or a URL doorsync fetches.
-- Without this relation doorsync syncs no photos and touches none.
create table ${crm_schema}.member_photos (
    member_id  text        primary key,
    image      bytea,                                    -- a JPEG, PNG, GIF or WebP image
    image_url  text,                                     -- or an http(s) URL to fetch it from (used when image is null)
    updated_at timestamptz not null default now()        -- for a URL: a new value fetches it again
);
