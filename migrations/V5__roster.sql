-- Roster: the external ids the town's tools give pupils and guardians (the import's keys), the uploads
-- waiting for the admin's commit, and what the retention job needs.

alter table child add column external_id text unique;
alter table guardian add column external_id text unique;
alter table family add column imported_at timestamptz;

create sequence family_reference_seq;

-- An uploaded set of roster files, kept between the preview and the commit (deleted a day later).
create table roster_upload (
    id            bigint generated always as identity primary key,
    created_by    bigint references staff_account(id),
    created_at    timestamptz not null default now(),
    committed_at  timestamptz,
    pupils        bytea,
    guardians     bytea,
    links         bytea,
    devices       bytea,
    file_names    jsonb not null default '{}'
);

-- The dashboard and the retention job read these.
create index device_child on device (child_id);
create index attendance_guardian on attendance (guardian_id) where mark = 'present';
create index device_returned on device (state_changed_at) where state = 'returned';
create index guardian_family_first on guardian (family_id, id) include (language);
