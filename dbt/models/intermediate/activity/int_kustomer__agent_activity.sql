{#- One row per thing an agent did or answers for, with the day (UTC) it counts on. Deleted
    conversations and their messages are left out. The agent and day of each kind:
      reply           each human reply: its author, when sent
      first_response  each conversation's first response: the author of the first human reply, when sent
      resolution      each conversation now done: the agent who last marked it done, then
      csat            each answered survey: the agent who last marked the conversation done, then
      sla_breach      each breached SLA metric: each user the conversation is assigned to, at breach_at
      work_session    each routing work session: its agent, at sign-in, with its available seconds
    The agent and team rollups are one group-by each over this model (macro activity_measures). -#}
with conversations as (
    select *
    from {{ ref('stg_kustomer__conversations') }}
    where is_deleted is not true
        and deleted_at is null
),

timings as (
    select * from {{ ref('int_kustomer__conversation_timings') }}
),

activity as (
    select
        'reply' as activity,
        messages.message_id as event_id,
        messages.conversation_id,
        messages.author_user_id as user_id,
        messages.message_at as occurred_at,
        cast(null as {{ kustomer.type_decimal() }}) as seconds,
        cast(null as {{ kustomer.type_decimal() }}) as business_seconds,
        cast(null as {{ kustomer.type_decimal() }}) as csat_score,
        cast(null as {{ kustomer.type_decimal() }}) as csat_rating
    from {{ ref('int_kustomer__messages') }} as messages
    inner join conversations on messages.conversation_id = conversations.conversation_id
    where messages.is_human_reply

    union all

    select
        'first_response',
        timings.conversation_id,
        timings.conversation_id,
        timings.first_responder_user_id,
        timings.first_response_at,
        timings.first_response_seconds,
        timings.first_response_business_seconds,
        null,
        null
    from timings
    inner join conversations on timings.conversation_id = conversations.conversation_id
    where timings.first_response_at is not null

    union all

    select
        'resolution',
        conversations.conversation_id,
        conversations.conversation_id,
        conversations.last_done_user_id,
        conversations.last_done_at,
        timings.full_resolution_seconds,
        timings.full_resolution_business_seconds,
        null,
        null
    from conversations
    inner join timings on conversations.conversation_id = timings.conversation_id
    where conversations.status = 'done'
        and conversations.last_done_at is not null

    union all

    select
        'csat',
        conversation_id,
        conversation_id,
        last_done_user_id,
        last_done_at,
        null,
        null,
        satisfaction_score,
        satisfaction_rating
    from conversations
    where (satisfaction_score is not null or satisfaction_rating is not null)
        and last_done_at is not null

    union all

    select
        'sla_breach',
        events.conversation_id || ':' || events.metric,
        events.conversation_id,
        assigned.user_id,
        events.breach_at,
        null,
        null,
        null,
        null
    from {{ ref('int_kustomer__sla_events') }} as events
    inner join conversations on events.conversation_id = conversations.conversation_id
    inner join (
        select distinct conversation_id, user_id from {{ ref('stg_kustomer__conversation_assigned_users') }}
    ) as assigned on events.conversation_id = assigned.conversation_id
    where events.is_breached

    union all

    select
        'work_session',
        work_session_id,
        null,
        user_id,
        coalesce(signed_in_at, created_at),
        {{ kustomer.seconds_from_ms('available_time_ms') }},
        {{ kustomer.seconds_from_ms('available_business_time_ms') }},
        null,
        null
    from {{ ref('stg_kustomer__work_sessions') }}
)

select
    activity.*,
    {{ kustomer.local_date('occurred_at', "'UTC'") }} as date_day
from activity
where user_id is not null
    and occurred_at is not null
