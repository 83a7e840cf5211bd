-- Sign-in: web sessions kept in PostgreSQL, ENT identities, API tokens and letter-code attempts.

create table web_session (
    id_hash         text primary key,
    data            jsonb not null default '{}',
    principal_kind  text check (principal_kind in ('parent', 'staff')),
    principal_id    bigint,
    ent_issuer      text,
    ent_subject     text,
    created_at      timestamptz not null default now(),
    last_seen_at    timestamptz not null default now()
);
create index web_session_ent on web_session (ent_issuer, ent_subject);
create index web_session_last_seen on web_session (last_seen_at);

create table ent_identity (
    issuer      text not null,
    subject     text not null,
    guardian_id bigint not null references guardian(id),
    linked_at   timestamptz not null default now(),
    primary key (issuer, subject)
);

create table api_token (
    id          bigint generated always as identity primary key,
    name        text not null,
    scope       text not null check (scope in ('read', 'admin', 'it')),
    token_hash  text not null unique,
    created_by  bigint references staff_account(id),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    last_used_at timestamptz
);

create table sign_in_throttle (
    key             text primary key,
    failures        integer not null default 0,
    blocked_until   timestamptz,
    updated_at      timestamptz not null default now()
);
