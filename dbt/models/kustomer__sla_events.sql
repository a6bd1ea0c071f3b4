{#- One row per SLA metric of each conversation (conversation x metric): when it would be breached,
    when it was satisfied, and whether it was breached by the time of the data. -#}
select
    events.conversation_id,
    events.metric,
    events.breach_at,
    events.satisfied_at,
    events.is_breached,
    events.data_at,
    conversations.created_at as conversation_created_at,
    conversations.status as conversation_status,
    conversations.priority as conversation_priority,
    conversations.sla_version_id,
    events.details
from {{ ref('int_kustomer__sla_events') }} as events
inner join {{ ref('stg_kustomer__conversations') }} as conversations
    on events.conversation_id = conversations.conversation_id
