-- Door credentials the CRM wants each member to hold (part of the CRM contract; doorsync only SELECTs).
-- credential_type is a DoorFlow credential type slug (GET /api/3/credential_types). value: the card number or
-- PIN; null for a mobile credential (DoorFlow sends the invitation) or for a PIN DoorFlow should generate.
-- DoorFlow holds one credential per type per person, so a member has at most one row per type.
create table ${crm_schema}.member_credentials (
    member_id       text        not null,
    credential_type text        not null,
    value           text,
    updated_at      timestamptz not null default now(),
    primary key (member_id, credential_type)
);
