-- Each run closes the runs a crash left without an end (as interrupted) before it starts: find them without
-- reading the whole history.
create index sync_run_unfinished_idx on sync_run (id) where finished_at is null;
