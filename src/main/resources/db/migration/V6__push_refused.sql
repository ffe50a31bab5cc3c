-- Why DoorFlow last refused a push to doors for another reason than its rate limit (403 without the
-- account.sync scope, a 5xx); null once a push succeeds. The sync health group is DOWN while it is set.
alter table push_state add column refused text;
