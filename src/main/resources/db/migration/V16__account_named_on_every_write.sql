-- Every write names its account. V15 gave the new account columns the default 'default' so that the rows already
-- there had one; a write that forgets its account would land in the default account silently, and with a second
-- account that is another tenant's row. Without the default such a write fails instead.
alter table account_pin alter column account drop default;
alter table push_state alter column account drop default;
alter table check_in_cursor alter column account drop default;
alter table oauth_pending alter column account drop default;
alter table person_link alter column account drop default;
alter table quarantine alter column account drop default;
alter table stamp_in_flight alter column account drop default;
alter table adoption_approval alter column account drop default;
alter table sync_run alter column account drop default;
alter table change_journal alter column account drop default;
alter table check_in alter column account drop default;
