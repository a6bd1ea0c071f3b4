{#- One row per logged change of a conversation, from ONE source per conversation: its
    conversation_events when it has any (at the event's own instant: updated_at, else published_at;
    the event's created_at is the conversation's), otherwise the audit log's entries of object_type
    conversation (at the entry's created_at). history_source says which. changes is the entry's
    changes (attributes.<field>.{before, after}); a create event may have none. -#}
with events as (
    select
        conversation_id,
        conversation_event_id as change_id,
        coalesce(updated_at, published_at) as changed_at,
        changes
    from {{ ref('stg_kustomer__conversation_events') }}
    where conversation_id is not null
),

with_events as (
    select distinct conversation_id from events
),

audit as (
    select
        object_id as conversation_id,
        audit_log_id as change_id,
        created_at as changed_at,
        changes
    from {{ ref('stg_kustomer__audit_logs') }}
    where object_type = 'conversation'
        and object_id is not null
)

select
    conversation_id,
    change_id,
    changed_at,
    'conversation_events' as history_source,
    changes
from events
where changed_at is not null

union all

select
    audit.conversation_id,
    audit.change_id,
    audit.changed_at,
    'audit_logs' as history_source,
    audit.changes
from audit
left join with_events on audit.conversation_id = with_events.conversation_id
where with_events.conversation_id is null
    and audit.changed_at is not null
