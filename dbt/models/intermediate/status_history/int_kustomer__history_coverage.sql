{#- One row: what the status history can see. coverage_starts_at (C): the earliest created_at among
    audit entries of object_type conversation (Kustomer keeps conversation updates 90 days); before
    it, a conversation with audit-only history has an inferred first interval. events_start_at: the
    earliest event instant in conversation_events. backlog_starts_at: C, or without audit entries
    the earliest event instant. data_at: the time of the data, the latest updated_at among
    conversations. has_history: audit_logs or conversation_events has rows (without either, the
    history models are empty and the metrics' history columns null). -#}
with audit as (
    select count(*) as entries,
        min(case when object_type = 'conversation' then created_at end) as coverage_starts_at
    from {{ ref('stg_kustomer__audit_logs') }}
),

events as (
    select count(*) as events, min(coalesce(updated_at, published_at)) as events_start_at
    from {{ ref('stg_kustomer__conversation_events') }}
),

data_time as (
    select max(updated_at) as data_at from {{ ref('stg_kustomer__conversations') }}
)

select
    audit.coverage_starts_at,
    events.events_start_at,
    coalesce(audit.coverage_starts_at, events.events_start_at) as backlog_starts_at,
    data_time.data_at,
    audit.entries + events.events > 0 as has_history
from audit
cross join events
cross join data_time
