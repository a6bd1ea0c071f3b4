{#- The messages that count, classified: deleted ones (deleted true or deleted_at set) do not. A
    message's time is sent_at, or created_at when sent_at is null. Inbound: direction 'in'. Human
    reply: direction 'out' and auto not true. -#}
select
    message_id,
    conversation_id,
    coalesce(sent_at, created_at) as message_at,
    direction,
    channel,
    is_auto,
    direction = 'in' as is_inbound,
    direction = 'out' and is_auto is not true as is_human_reply,
    created_by_user_id as author_user_id
from {{ ref('stg_kustomer__messages') }}
where is_deleted is not true
    and deleted_at is null
    and conversation_id is not null
