-- The IT service's change feed in commit order, and signed webhooks (issue 12).
--
-- device_state_changed_at is stamped mid-transaction, and transactions commit out of that order: a client
-- polling "changed since the largest time I saw" missed devices. Every change of a device's state is logged
-- here by a trigger on device (no writer can forget it) with the id of its transaction; the feed hands out
-- only the rows of transactions below the oldest one still running (all of them have ended), ordered by
-- (xact, id), and its cursor is the last (xact, id) handed out. A row committed later always has an xact at
-- or above that horizon, hence above the cursor: nothing is skipped, nothing comes twice.

create table device_change (
    id          bigint generated always as identity primary key,
    xact        xid8 not null default pg_current_xact_id(),
    device_id   bigint not null,
    from_state  text,
    to_state    text not null,
    changed_at  timestamptz not null default clock_timestamp()
);
create index device_change_order on device_change (xact, id);

-- The state every device has now, so that a client starting without a cursor learns every device.
insert into device_change (device_id, from_state, to_state) select id, null, state from device order by id;

-- A webhook's payload gives the reason of its change: the device_event of the same transaction says it.
alter table device_event add column xact xid8;
alter table device_event alter column xact set default pg_current_xact_id();

-- The town's webhook endpoints. The secret signs each delivery (HMAC-SHA256), so it is kept as given.
create table webhook_endpoint (
    id          bigint generated always as identity primary key,
    url         text not null check (length(url) between 8 and 2000),
    secret      text not null,
    created_by  bigint references staff_account(id) on delete set null,
    created_at  timestamptz not null default now()
);

-- The outbox: one row per endpoint and home-use change, written in the transaction of the change.
-- A device's rows are written in the order its changes commit (the row lock on the device orders them), and
-- a row is sent only once the earlier ones of its device for that endpoint are delivered.
create table webhook_delivery (
    id              bigint generated always as identity primary key,
    delivery_id     uuid not null unique default gen_random_uuid(),
    endpoint_id     bigint not null references webhook_endpoint(id) on delete cascade,
    device_id       bigint not null,
    from_state      text,
    to_state        text not null,
    changed_at      timestamptz not null default clock_timestamp(),
    xact            xid8 not null default pg_current_xact_id(),
    status          text not null default 'pending' check (status in ('pending', 'sending', 'delivered')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status <> 'delivered';
create index webhook_delivery_undelivered on webhook_delivery (endpoint_id, device_id, id) where status <> 'delivered';

-- One statement's changes at once (a roster import changes thousands of devices in a few statements).
create function device_change_logged() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into device_change (device_id, from_state, to_state)
        select n.id, null, n.state from new_rows n order by n.id;
        insert into webhook_delivery (endpoint_id, device_id, from_state, to_state)
        select e.id, n.id, null, n.state from new_rows n cross join webhook_endpoint e
        where n.state = 'home_use' order by n.id, e.id;
    else
        insert into device_change (device_id, from_state, to_state)
        select n.id, o.state, n.state from new_rows n join old_rows o on o.id = n.id
        where n.state is distinct from o.state order by n.id;
        insert into webhook_delivery (endpoint_id, device_id, from_state, to_state)
        select e.id, n.id, o.state, n.state from new_rows n join old_rows o on o.id = n.id
        cross join webhook_endpoint e
        where (n.state = 'home_use') <> (o.state = 'home_use') order by n.id, e.id;
    end if;
    return null;
end $$;

create trigger device_change_inserted after insert on device
    referencing new table as new_rows for each statement execute function device_change_logged();
create trigger device_change_updated after update on device
    referencing old table as old_rows new table as new_rows for each statement execute function device_change_logged();
