-- A run is complete when every change that could be applied was applied and the push to doors went out: only
-- changes DoorFlow refused for their member (a card number in use, a person doorsync may not write) failed.
-- Freshness (the health check, doorsync_last_success_timestamp_seconds and its alert) counts complete runs, so
-- one member refused run after run no longer looks like an outage; that member is counted on its own.
alter table sync_run add column complete boolean not null default false;
update sync_run set complete = (outcome = 'success');
