-- Check-ins are read for every account: DoorFlow's event ids are its account's, so two accounts may both have
-- event 1. The key becomes (account, event_id); reads by member stay within an account.
alter table check_in drop constraint check_in_pkey, add primary key (account, event_id);
drop index check_in_member_idx;
create index check_in_member_idx on check_in (account, member_id, at desc);
