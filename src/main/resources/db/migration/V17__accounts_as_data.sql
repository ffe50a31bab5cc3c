-- Accounts become data: where each one's members are in the CRM, how doorsync reaches its DoorFlow account, and
-- whether it is synced. 'default' is the installation's own account: its CRM schema and its DoorFlow connection
-- are the installation's settings (doorsync.crm.schema, the OAuth connection or doorsync.doorflow.api-key), so
-- its columns stay empty. An account declared in settings is written here at start-up (its API key stays in the
-- settings); one added through the admin API keeps its API key here, encrypted (AES-GCM, bound to its id).
alter table account add column source text not null default 'api'
    check (source in ('installation', 'settings', 'api'));
update account set source = 'installation' where id = 'default';
alter table account add column crm_schema text;
alter table account add column doorflow_api_key bytea;
alter table account add column paused boolean not null default false;
-- A removed account is no longer synced and its key is forgotten; its history stays for the retention period.
alter table account add column removed_at timestamptz;
alter table account add constraint account_id_form check (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$');
