-- Attendance and devices (issue 5): the charter and its signatures, every mark received from a tablet,
-- session closure, the home-use history of each device and the education service's manual decisions.

-- A mark can be undone: the row stays (it keeps the time of the latest mark, for "latest wins") with no mark.
alter table attendance alter column mark drop not null;

create table charter_version (
    id          bigint generated always as identity primary key,
    version     integer not null unique check (version > 0),
    text_fr     text not null check (length(trim(text_fr)) > 0),
    text_en     text not null check (length(trim(text_en)) > 0),
    published_at timestamptz not null default now()
);

insert into charter_version (version, text_fr, text_en) values (1,
'L''ordinateur est prêté par la ville à votre enfant pour apprendre. Il reste la propriété de la ville.
Je m''engage à en prendre soin, à le recharger, à le rapporter à l''école chaque jour de classe,
à accompagner mon enfant quand il l''utilise à la maison, et à le rendre à la fin du CM2.
En cas de perte, de vol ou de panne, je préviens l''école tout de suite.',
'The town lends this computer to your child for learning. It remains the property of the town.
I agree to take care of it, to charge it, to bring it back to school every school day,
to be with my child when they use it at home, and to give it back at the end of CM2.
If it is lost, stolen or broken, I tell the school straight away.');

create table charter_signature (
    id                  bigint generated always as identity primary key,
    guardian_id         bigint not null references guardian(id),
    charter_version_id  bigint not null references charter_version(id),
    session_id          bigint references workshop_session(id),
    image_png           bytea not null check (octet_length(image_png) between 68 and 200000),
    signed_at           timestamptz not null,
    signed_by           bigint references staff_account(id),
    client_id           uuid not null unique,
    received_at         timestamptz not null default now()
);
create index charter_signature_guardian on charter_signature (guardian_id);

-- Every mark a tablet sent, applied or not: a retry with the same client id returns the stored answer
-- (json, not jsonb: the answer is replayed byte for byte).
create table attendance_mark (
    id              bigint generated always as identity primary key,
    client_mark_id  uuid not null unique,
    session_id      bigint not null references workshop_session(id),
    guardian_id     bigint not null references guardian(id),
    mark            text check (mark in ('present', 'absent', 'late', 'excused')),
    made_at         timestamptz not null,
    received_at     timestamptz not null default now(),
    made_by         bigint references staff_account(id),
    walk_in         boolean not null default false,
    applied         boolean not null,
    reason          text,
    answer          json not null
);
create index attendance_mark_session on attendance_mark (session_id, guardian_id, made_at);

create table session_closure (
    session_id  bigint primary key references workshop_session(id),
    closed_at   timestamptz not null default now(),
    closed_by   bigint references staff_account(id)
);

-- The education service's decision for a family, which outranks the attendance rule until it is cleared.
create table home_use_override (
    family_id   bigint primary key references family(id),
    allowed     boolean not null,
    reason      text not null check (length(trim(reason)) > 0),
    decided_by  bigint references staff_account(id),
    decided_at  timestamptz not null default now()
);

-- The life of each device: lent, unlocked, revoked, returned... with who, when, why and which attendance.
create table device_event (
    id              bigint generated always as identity primary key,
    device_id       bigint not null references device(id),
    at              timestamptz not null default clock_timestamp(),
    actor           text not null,
    change          text not null check (change in ('lent', 'unlock', 'revoke', 'returned', 'lost_or_broken', 'in_stock')),
    from_state      text,
    to_state        text not null,
    reason          text not null,
    note            text,
    attendance_id   bigint references attendance(id),
    child_id        bigint references child(id)
);
create index device_event_device on device_event (device_id, at);
create index device_state_changed on device (state_changed_at);
create index attendance_guardian_all on attendance (guardian_id);
