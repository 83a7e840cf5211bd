-- How each ENT link was made (issue 13): a link needs evidence that the ENT account belongs to the family, and a
-- new letter code undoes the links made without any. Links made before this migration say how in the audit log.
alter table ent_identity
    add column evidence text not null default 'none'
        check (evidence in ('roster', 'child_id', 'child_name', 'admin', 'none')),
    -- the hash of the web session the link was made in (a letter-code session), when there was one
    add column linked_in_session text,
    -- the admin who confirmed it, for evidence 'admin'
    add column linked_by bigint references staff_account(id);

update ent_identity e set evidence = case a.details->>'via'
        when 'guardian_ent_id' then 'roster'
        when 'external_id' then 'roster'
        when 'children' then 'child_id'
        else 'none' end
from audit_log a
where a.action = 'ent_link' and a.entity = 'guardian' and a.entity_id = e.guardian_id
  and a.details->>'issuer' = e.issuer;

-- An ENT account that a parent signed in with a letter code tried to link without evidence: the education
-- service may confirm it from the family's page. It goes with the guardian.
create table ent_link_request (
    id              bigint generated always as identity primary key,
    issuer          text not null,
    subject         text not null,
    guardian_id     bigint not null references guardian(id) on delete cascade,
    ent_name        text,
    requested_at    timestamptz not null default now(),
    unique (issuer, subject, guardian_id)
);
create index ent_link_request_guardian on ent_link_request (guardian_id);
create index ent_identity_guardian on ent_identity (guardian_id);
