{#- Per conversation, the instants its metrics span and their lengths, calendar and business:
    first response: the earliest inbound message to the earliest human reply at or after it;
    first / full resolution: created_at to first_done / last_done.created_at. Business seconds are
    B(end) - B(start) (macro business_clock), null without a default schedule. -#}
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
    select conversation_id, message_at as first_response_at, message_id as first_response_message_id,
        author_user_id as first_responder_user_id
    from (
        select
            messages.*,
            row_number() over (
                partition by messages.conversation_id order by messages.message_at, messages.message_id
            ) as reply_number
        from messages
        inner join first_inbound on messages.conversation_id = first_inbound.conversation_id
        where messages.is_human_reply
            and messages.message_at >= first_inbound.first_inbound_at
    ) as replies
    where reply_number = 1
),

counts as (
    select
        conversation_id,
        count(*) as messages,
        sum(case when is_inbound then 1 else 0 end) as inbound_messages,
        sum(case when is_human_reply then 1 else 0 end) as human_replies,
        sum(case when direction = 'out' and is_auto then 1 else 0 end) as automatic_replies
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
),

span_ends as (
    select conversation_id, 'first_response' as span, first_inbound_at as starts_at, first_response_at as ends_at
    from spans
    union all
    select conversation_id, 'first_resolution', created_at, first_done_at from spans
    union all
    select conversation_id, 'full_resolution', created_at, last_done_at from spans
),

instants as (
    select distinct moment
    from (
        select starts_at as moment from span_ends
        union all
        select ends_at from span_ends
    ) as ends
    where moment is not null
),

clock as (
    {{ kustomer.business_clock('instants', ref('int_kustomer__schedule_intervals')) }}
),

business as (
    select
        span_ends.conversation_id,
        {%- for span in ['first_response', 'first_resolution', 'full_resolution'] %}
        max(case when span_ends.span = '{{ span }}' then ends.open_seconds_before - starts.open_seconds_before end)
            as {{ span }}_business_seconds{{ ',' if not loop.last }}
        {%- endfor %}
    from span_ends
    inner join clock as starts on span_ends.starts_at = starts.moment
    inner join clock as ends on span_ends.ends_at = ends.moment
    group by span_ends.conversation_id
),

schedule as (
    select count(*) as schedules from {{ ref('int_kustomer__default_schedule') }}
)

select
    spans.*,
    {{ kustomer.seconds_between('spans.first_inbound_at', 'spans.first_response_at') }} as first_response_seconds,
    cast(case when schedule.schedules > 0 then business.first_response_business_seconds end as {{ kustomer.type_seconds() }})
        as first_response_business_seconds,
    {{ kustomer.seconds_between('spans.created_at', 'spans.first_done_at') }} as first_resolution_seconds,
    cast(case when schedule.schedules > 0 then business.first_resolution_business_seconds end as {{ kustomer.type_seconds() }})
        as first_resolution_business_seconds,
    {{ kustomer.seconds_between('spans.created_at', 'spans.last_done_at') }} as full_resolution_seconds,
    cast(case when schedule.schedules > 0 then business.full_resolution_business_seconds end as {{ kustomer.type_seconds() }})
        as full_resolution_business_seconds
from spans
cross join schedule
left join business on spans.conversation_id = business.conversation_id
