-- Optional part of the CRM contract: wakes doorsync within a second of a committed CRM change, instead of at
-- the next doorsync.sync.interval. doorsync LISTENs on channel doorsync_crm; these triggers NOTIFY it once per
-- statement (not per row), and PostgreSQL delivers a notification only when its transaction commits.
-- The payload names the schema, so that the change wakes the doorsync account whose CRM it is (one schema per
-- account), and the members a statement touched ({"schema": "crm", "table": "members", "members": ["M1", ...]}),
-- so that the run it starts reads and plans only them; a statement on teams, a TRUNCATE, one touching more than
-- 500 members, or one whose list of ids would not fit in 7,000 bytes (PostgreSQL refuses a payload of 8,000 bytes
-- or more, and that error would roll back the CRM's own statement) names the schema and table alone
-- ({"schema": "crm", "table": "teams"}), and that run plans everyone. Earlier versions of this file sent no
-- schema, or the table's name only: doorsync still understands them (as changes to doorsync.crm.schema; the
-- table's name alone plans everyone).
-- Without these triggers (a CRM made of views, say) doorsync works exactly as before, on its interval.
-- Replace ${crm_schema} with the CRM schema (doorsync.crm.schema, default crm). Needs PostgreSQL 11 or later.

-- The table's name alone: the run plans every member.
create or replace function ${crm_schema}.doorsync_notify() returns trigger
    language plpgsql as $$
begin
    perform pg_notify('doorsync_crm', json_build_object('schema', tg_table_schema, 'table', tg_table_name)::text);
    return null;
end
$$;

-- The members the statement touched (before and after an update, so a changed id is seen on both sides).
-- tg_argv[0] is the column holding the member id.
create or replace function ${crm_schema}.doorsync_notify_members() returns trigger
    language plpgsql as $$
declare
    touched text[];
    payload text;
begin
    -- At most 501 ids are gathered: one more than are ever named, so a huge statement costs the CRM no sort.
    if tg_op = 'INSERT' then
        execute format('select array_agg(m) from (select distinct %I::text as m from new_rows limit 501) s',
            tg_argv[0]) into touched;
    elsif tg_op = 'DELETE' then
        execute format('select array_agg(m) from (select distinct %I::text as m from old_rows limit 501) s',
            tg_argv[0]) into touched;
    else
        execute format('select array_agg(m) from (select distinct m from (select %1$I::text as m from old_rows'
            || ' union all select %1$I::text from new_rows) both_sides limit 501) s', tg_argv[0]) into touched;
    end if;
    if touched is null then
        return null; -- no row touched
    end if;
    if cardinality(touched) <= 500 and array_position(touched, null) is null then
        payload := json_build_object('schema', tg_table_schema, 'table', tg_table_name, 'members', touched)::text;
    end if;
    -- Too many or too long to name (or a row without id): everyone. Bytes, not characters: ids may be UTF-8.
    perform pg_notify('doorsync_crm', case when octet_length(payload) <= 7000 then payload
        else json_build_object('schema', tg_table_schema, 'table', tg_table_name)::text end);
    return null;
end
$$;

-- The triggers, on each relation that is there (member_photos is optional). A transition table belongs to one
-- event, so each relation naming members has a trigger per event, and one for TRUNCATE. A team's mapping decides
-- the groups of all its members: any change to teams plans everyone. Re-runnable, and an upgrade from the
-- earlier version: doorsync's triggers are dropped first, then made again.
do $$
declare
    t text;
    id_column text;
    suffix text;
begin
    foreach t in array array['members', 'teams', 'team_members', 'member_credentials', 'member_photos'] loop
        continue when to_regclass('${crm_schema}.' || t) is null;
        foreach suffix in array array['', '_insert', '_update', '_delete'] loop
            execute format('drop trigger if exists %I on ${crm_schema}.%I', 'doorsync_notify' || suffix, t);
        end loop;
        if t = 'teams' then
            execute 'create trigger doorsync_notify after insert or update or delete or truncate on'
                || ' ${crm_schema}.teams for each statement execute function ${crm_schema}.doorsync_notify()';
            continue;
        end if;
        id_column := case when t = 'members' then 'id' else 'member_id' end;
        execute format('create trigger doorsync_notify_insert after insert on ${crm_schema}.%I referencing new table'
            || ' as new_rows for each statement execute function ${crm_schema}.doorsync_notify_members(%L)',
            t, id_column);
        execute format('create trigger doorsync_notify_update after update on ${crm_schema}.%I referencing old table'
            || ' as old_rows new table as new_rows for each statement execute function'
            || ' ${crm_schema}.doorsync_notify_members(%L)', t, id_column);
        execute format('create trigger doorsync_notify_delete after delete on ${crm_schema}.%I referencing old table'
            || ' as old_rows for each statement execute function ${crm_schema}.doorsync_notify_members(%L)',
            t, id_column);
        execute format('create trigger doorsync_notify after truncate on ${crm_schema}.%I for each statement'
            || ' execute function ${crm_schema}.doorsync_notify()', t);
    end loop;
end
$$;
