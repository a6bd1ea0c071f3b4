{#- Per conversation, the instants its metrics span and their lengths, calendar and business:
    first response: the earliest inbound message to the earliest human reply at or after it;
    first / full resolution: created_at to first_done / last_done.created_at. -#}
with messages as (
    select * from {{ ref('int_kustomer__messages') }}
),

first_inbound as (
    select conversation_id, min(message_at) as first_inbound_at
    from messages
    where is_inbound
    group by conversation_id
),

first_reply as (
    select distinct on (messages.conversation_id)
        messages.conversation_id,
        messages.message_at as first_response_at,
        messages.message_id as first_response_message_id,
        messages.author_user_id as first_responder_user_id
    from messages
    inner join first_inbound on messages.conversation_id = first_inbound.conversation_id
    where messages.is_human_reply
        and messages.message_at >= first_inbound.first_inbound_at
    order by messages.conversation_id, messages.message_at, messages.message_id
),

counts as (
    select
        conversation_id,
        count(*) as messages,
        count(*) filter (where is_inbound) as inbound_messages,
        count(*) filter (where is_human_reply) as human_replies,
        count(*) filter (where direction = 'out' and is_auto) as automatic_replies
    from messages
    group by conversation_id
),

spans as (
    select
        conversations.conversation_id,
        conversations.created_at,
        first_inbound.first_inbound_at,
        first_reply.first_response_at,
        first_reply.first_response_message_id,
        first_reply.first_responder_user_id,
        conversations.first_done_at,
        conversations.last_done_at,
        coalesce(counts.messages, 0) as messages,
        coalesce(counts.inbound_messages, 0) as inbound_messages,
        coalesce(counts.human_replies, 0) as human_replies,
        coalesce(counts.automatic_replies, 0) as automatic_replies
    from {{ ref('stg_kustomer__conversations') }} as conversations
    left join first_inbound on conversations.conversation_id = first_inbound.conversation_id
    left join first_reply on conversations.conversation_id = first_reply.conversation_id
    left join counts on conversations.conversation_id = counts.conversation_id
)

select
    spans.*,
    {{ kustomer.calendar_seconds('first_inbound_at', 'first_response_at') }} as first_response_seconds,
    {{ kustomer.business_seconds('first_inbound_at', 'first_response_at') }} as first_response_business_seconds,
    {{ kustomer.calendar_seconds('created_at', 'first_done_at') }} as first_resolution_seconds,
    {{ kustomer.business_seconds('created_at', 'first_done_at') }} as first_resolution_business_seconds,
    {{ kustomer.calendar_seconds('created_at', 'last_done_at') }} as full_resolution_seconds,
    {{ kustomer.business_seconds('created_at', 'last_done_at') }} as full_resolution_business_seconds
from spans
