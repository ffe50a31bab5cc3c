-- Optional part of the CRM contract: wakes doorsync within a second of a committed CRM change, instead of at
-- the next doorsync.sync.interval. doorsync LISTENs on channel doorsync_crm; these triggers NOTIFY it once per
-- statement (not per row), and PostgreSQL delivers a notification only when its transaction commits.
-- Without them (a CRM made of views, say) doorsync works exactly as before, on its interval.
-- Replace ${crm_schema} with the CRM schema (doorsync.crm.schema, default crm). Needs PostgreSQL 11 or later.
create or replace function ${crm_schema}.doorsync_notify() returns trigger
    language plpgsql as $$
begin
    perform pg_notify('doorsync_crm', tg_table_name);
    return null;
end
$$;

create trigger doorsync_notify after insert or update or delete or truncate on ${crm_schema}.members
    for each statement execute function ${crm_schema}.doorsync_notify();
create trigger doorsync_notify after insert or update or delete or truncate on ${crm_schema}.teams
    for each statement execute function ${crm_schema}.doorsync_notify();
create trigger doorsync_notify after insert or update or delete or truncate on ${crm_schema}.team_members
    for each statement execute function ${crm_schema}.doorsync_notify();
create trigger doorsync_notify after insert or update or delete or truncate on ${crm_schema}.member_credentials
    for each statement execute function ${crm_schema}.doorsync_notify();
-- The optional photos relation (leave this out if the CRM has none).
create trigger doorsync_notify after insert or update or delete or truncate on ${crm_schema}.member_photos
    for each statement execute function ${crm_schema}.doorsync_notify();
