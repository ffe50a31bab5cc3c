-- Optional: CRM wake-ups for shared relations with an account column (crm/shared-relations/account-views.sql).
-- A change wakes the doorsync account whose rows it touched, within a second of its commit: one notification per
-- account schema and statement, named ${schema_prefix} || account (the views' schemas, e.g. crm_ || london);
-- PostgreSQL delivers identical notifications of one transaction once. The payload names no members, so the run
-- plans everyone of that account. (An update moving a row to another account wakes the new one; the old one sees
-- it at its next interval. A TRUNCATE wakes nobody.) Replace ${shared_schema} and ${schema_prefix}. Needs PostgreSQL 11 or later.
create or replace function ${shared_schema}.doorsync_notify_accounts() returns trigger
    language plpgsql as $$
declare
    changed text;
begin
    for changed in execute 'select distinct account::text from '
            || case when tg_op = 'DELETE' then 'old_rows' else 'new_rows' end loop
        perform pg_notify('doorsync_crm', json_build_object('schema', '${schema_prefix}' || changed, 'table',
            tg_table_name)::text);
    end loop;
    return null;
end
$$;

do $$
declare
    t text;
    ev text;
begin
    foreach t in array array['members', 'teams', 'team_members', 'member_credentials', 'member_photos'] loop
        continue when to_regclass('${shared_schema}.' || t) is null;
        foreach ev in array array['insert', 'update', 'delete'] loop
            execute format('drop trigger if exists %I on ${shared_schema}.%I', 'doorsync_notify_' || ev, t);
            execute format('create trigger %I after %s on ${shared_schema}.%I referencing %s table as %I for each'
                || ' statement execute function ${shared_schema}.doorsync_notify_accounts()', 'doorsync_notify_' || ev,
                ev, t, case when ev = 'delete' then 'old' else 'new' end,
                case when ev = 'delete' then 'old_rows' else 'new_rows' end);
        end loop;
    end loop;
end
$$;
