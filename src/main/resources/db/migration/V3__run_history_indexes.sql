-- The admin API and the sync health check ask for the latest runs, and the latest successful one.
create index sync_run_outcome_idx on sync_run (outcome, id desc);
