-- The DoorFlow OAuth connection: one row per connection (today one, id 'default'). Tokens are AES-GCM
-- encrypted with doorsync.oauth.token-encryption-key; version increases with every stored token, so a
-- replica can tell whether the token it holds is still the current one.
create table oauth_connection (
    id                text primary key,
    state             text        not null,              -- connected | reconnect_needed
    account_id        text,
    resource_owner_id bigint,
    scopes            text,
    access_token      bytea,
    refresh_token     bytea,
    expires_at        timestamptz,
    version           bigint      not null default 0,
    connected_at      timestamptz not null default now(),
    last_refresh_at   timestamptz,
    last_refresh_outcome text,
    problem           text
);

-- A pending authorization: the single-use state sent to /oauth/authorize and its PKCE verifier (encrypted).
-- Kept in the database so any replica can complete the callback.
create table oauth_pending (
    state          text primary key,
    code_verifier  bytea       not null,
    created_at     timestamptz not null default now()
);
