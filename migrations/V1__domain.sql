-- Sésame's domain: schools and rooms, workshops and their sessions, families, devices, bookings,
-- waiting list, attendance and the audit log. Times are timestamptz; they are shown in Europe/Paris.

create table school (
    id          bigint generated always as identity primary key,
    uai         text not null unique check (uai ~ '^[0-9]{7}[A-Z]$'),
    name        text not null check (length(trim(name)) > 0),
    address     text not null default '',
    postcode    text not null default '',
    city        text not null default ''
);

create table room (
    id          bigint generated always as identity primary key,
    school_id   bigint not null references school(id),
    name        text not null check (length(trim(name)) > 0),
    seats       integer not null check (seats > 0),
    unique (school_id, name),
    unique (id, school_id)
);

create table staff_account (
    id            bigint generated always as identity primary key,
    email         text not null,
    display_name  text not null,
    role          text not null check (role in ('admin', 'trainer', 'school_staff')),
    school_id     bigint references school(id),
    password_hash text,
    active        boolean not null default true,
    created_at    timestamptz not null default now(),
    check (role <> 'school_staff' or school_id is not null)
);
create unique index staff_account_email on staff_account (lower(email));

create table workshop_type (
    id                      bigint generated always as identity primary key,
    code                    text not null unique,
    title_fr                text not null,
    title_en                text not null,
    description_fr          text not null default '',
    description_en          text not null default '',
    duration_minutes        integer not null check (duration_minutes between 15 and 480),
    languages               text[] not null default '{fr}',
    qualifies_for_home_use  boolean not null default true,
    requires_charter        boolean not null default false,
    max_active_per_family   integer not null default 1 check (max_active_per_family >= 1)
);

create table session_series (
    id          bigint generated always as identity primary key,
    label       text not null,
    created_by  bigint references staff_account(id),
    created_at  timestamptz not null default now()
);

create table workshop_session (
    id                  bigint generated always as identity primary key,
    workshop_type_id    bigint not null references workshop_type(id),
    school_id           bigint not null references school(id),
    room_id             bigint not null,
    series_id           bigint references session_series(id),
    starts_at           timestamptz not null,
    ends_at             timestamptz not null,
    capacity            integer not null check (capacity > 0),
    booked              integer not null default 0,
    language            text not null default 'fr',
    status              text not null default 'scheduled' check (status in ('scheduled', 'cancelled', 'closed')),
    booking_opens_at    timestamptz,
    booking_closes_hours integer not null default 2 check (booking_closes_hours >= 0),
    calendar_sequence   integer not null default 0,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    check (ends_at > starts_at),
    check (booked >= 0 and booked <= capacity),
    -- the room must be one of the session's school
    foreign key (room_id, school_id) references room(id, school_id)
);
create index workshop_session_school_start on workshop_session (school_id, starts_at);
create index workshop_session_start on workshop_session (starts_at);

create table session_trainer (
    session_id  bigint not null references workshop_session(id) on delete cascade,
    staff_id    bigint not null references staff_account(id),
    primary key (session_id, staff_id)
);

create table family (
    id                  bigint generated always as identity primary key,
    reference           text not null unique,
    letter_code         text unique check (letter_code ~ '^[2-9A-HJ-NP-Z]{8}$'),
    letter_code_issued_at timestamptz,
    created_at          timestamptz not null default now()
);

create table guardian (
    id                  bigint generated always as identity primary key,
    family_id           bigint not null references family(id),
    first_name          text not null,
    last_name           text not null,
    email               text,
    phone               text,
    ent_id              text unique,
    language            text not null default 'fr' check (language in ('fr', 'en')),
    created_at          timestamptz not null default now()
);
create index guardian_family on guardian (family_id);
create index guardian_name on guardian (lower(last_name), lower(first_name));

create table child (
    id              bigint generated always as identity primary key,
    family_id       bigint not null references family(id),
    school_id       bigint not null references school(id),
    first_name      text not null,
    last_name       text not null,
    class_level     text not null check (class_level in ('CP', 'CE1', 'CE2', 'CM1', 'CM2')),
    class_name      text not null default '',
    ent_id          text unique,
    created_at      timestamptz not null default now()
);
create index child_family on child (family_id);
create index child_school on child (school_id, class_level);

create table device (
    id              bigint generated always as identity primary key,
    asset_tag       text not null unique,
    serial_number   text not null unique,
    model           text not null,
    child_id        bigint references child(id),
    lent_on         date,
    state           text not null default 'in_stock'
                    check (state in ('in_stock', 'school_only', 'home_use', 'returned', 'lost_or_broken')),
    state_changed_at timestamptz not null default now(),
    check (child_id is not null or state in ('in_stock', 'returned', 'lost_or_broken'))
);
-- one device lent to a child at a time
create unique index device_one_per_child on device (child_id) where state in ('school_only', 'home_use');

create table booking (
    id              bigint generated always as identity primary key,
    session_id      bigint not null references workshop_session(id),
    family_id       bigint not null references family(id),
    guardian_id     bigint not null references guardian(id),
    status          text not null default 'active' check (status in ('active', 'cancelled', 'moved')),
    calendar_uid    uuid not null unique default gen_random_uuid(),
    form_token      text unique,
    booked_by_staff bigint references staff_account(id),
    created_at      timestamptz not null default now(),
    ended_at        timestamptz,
    check ((status = 'active') = (ended_at is null))
);
create unique index booking_one_active_per_guardian_session on booking (session_id, guardian_id) where status = 'active';
create index booking_family on booking (family_id, status);
create index booking_session on booking (session_id, status);

create table waiting_entry (
    id              bigint generated always as identity primary key,
    session_id      bigint not null references workshop_session(id),
    family_id       bigint not null references family(id),
    guardian_id     bigint not null references guardian(id),
    status          text not null default 'waiting' check (status in ('waiting', 'promoted', 'withdrawn')),
    created_at      timestamptz not null default now(),
    ended_at        timestamptz
);
create unique index waiting_one_per_family_session on waiting_entry (session_id, family_id) where status = 'waiting';
create index waiting_session_order on waiting_entry (session_id, created_at) where status = 'waiting';

create table attendance (
    id              bigint generated always as identity primary key,
    session_id      bigint not null references workshop_session(id),
    guardian_id     bigint not null references guardian(id),
    booking_id      bigint references booking(id),
    mark            text not null check (mark in ('present', 'absent', 'late', 'excused')),
    marked_at       timestamptz not null,
    marked_by       bigint references staff_account(id),
    client_mark_id  uuid unique,
    walk_in         boolean not null default false,
    unique (session_id, guardian_id)
);

create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    actor       text not null,
    action      text not null,
    entity      text not null,
    entity_id   bigint,
    details     jsonb not null default '{}'
);
create index audit_log_entity on audit_log (entity, entity_id);
