{#- One row per conversation: how fast it was first answered and resolved, calendar and business,
    beside Kustomer's own figures (_native), its replies, reopens, CSAT and SLA outcome; the time it
    spent open, snoozed and done (kustomer__conversation_status_history) and how often it was
    reassigned (null when neither audit_logs nor conversation_events has rows). -#}
with conversations as (
    select * from {{ ref('stg_kustomer__conversations') }}
),

timings as (
    select * from {{ ref('int_kustomer__conversation_timings') }}
),

sla as (
    select
        conversation_id,
        count(*) as sla_metrics,
        sum(case when is_breached then 1 else 0 end) as sla_metrics_breached,
        max(case when is_breached then 1 else 0 end) = 1 as sla_breached,
        min(case when is_breached then breach_at end) as first_sla_breach_at
    from {{ ref('int_kustomer__sla_events') }}
    group by conversation_id
),

history as (
    select
        conversation_id,
        {%- for status in ['open', 'snoozed', 'done'] %}
        cast(sum(case when status = '{{ status }}' then calendar_seconds else 0 end) as {{ kustomer.type_seconds() }})
            as {{ status }}_seconds,
        cast(sum(case when status = '{{ status }}' then business_seconds when business_seconds is not null then 0 end)
            as {{ kustomer.type_seconds() }}) as {{ status }}_business_seconds,
        {%- endfor %}
        max(case when is_inferred then 1 else 0 end) = 1 as has_inferred_history
    from {{ ref('kustomer__conversation_status_history') }}
    group by conversation_id
),

assignments as (
    select
        conversation_id,
        count(*) as assignment_changes,
        min(case when is_first_assignment then changed_at end) as first_assigned_at
    from {{ ref('int_kustomer__assignment_changes') }}
    group by conversation_id
)

select
    conversations.conversation_id,
    conversations.created_at,
    conversations.updated_at,
    conversations.status,
    conversations.is_deleted or conversations.deleted_at is not null as is_deleted,
    {{ kustomer.json_get_text('conversations.channels', [0]) }} as channel,
    conversations.priority,
    conversations.customer_id,
    conversations.brand_id,
    conversations.queue_id,
    conversations.assigned_user_ids,
    conversations.assigned_team_ids,
    (select schedule_id from {{ ref('int_kustomer__default_schedule') }}) as business_schedule_id,

    timings.first_inbound_at,
    timings.first_response_at,
    timings.first_response_message_id,
    timings.first_responder_user_id,
    timings.first_response_seconds,
    timings.first_response_business_seconds,
    {{ kustomer.seconds_from_ms('conversations.first_response_time_ms') }} as first_response_seconds_native,
    {{ kustomer.seconds_from_ms('conversations.first_response_business_time_ms') }} as first_response_business_seconds_native,

    conversations.first_done_at,
    conversations.first_done_user_id,
    timings.first_resolution_seconds,
    timings.first_resolution_business_seconds,
    {{ kustomer.seconds_from_ms('conversations.first_done_time_ms') }} as first_resolution_seconds_native,
    {{ kustomer.seconds_from_ms('conversations.first_done_business_time_ms') }} as first_resolution_business_seconds_native,

    conversations.last_done_at,
    conversations.last_done_user_id,
    timings.full_resolution_seconds,
    timings.full_resolution_business_seconds,
    {{ kustomer.seconds_from_ms('conversations.last_done_time_ms') }} as full_resolution_seconds_native,
    {{ kustomer.seconds_from_ms('conversations.last_done_business_time_ms') }} as full_resolution_business_seconds_native,

    timings.messages,
    timings.inbound_messages,
    timings.human_replies,
    timings.automatic_replies,
    conversations.done_count,
    conversations.reopen_count,

    history.open_seconds,
    history.snoozed_seconds,
    history.done_seconds,
    history.open_business_seconds,
    history.snoozed_business_seconds,
    history.done_business_seconds,
    history.has_inferred_history,
    {{ kustomer.seconds_from_ms('conversations.total_open_time_ms') }} as open_seconds_native,
    {{ kustomer.seconds_from_ms('conversations.total_snooze_time_ms') }} as snoozed_seconds_native,
    {{ kustomer.seconds_from_ms('conversations.total_done_time_ms') }} as done_seconds_native,
    case when history.conversation_id is not null then coalesce(assignments.assignment_changes, 0) end as assignment_changes,
    case when not history.has_inferred_history then assignments.first_assigned_at end as first_assigned_at,
    case when not history.has_inferred_history then
        {{ kustomer.seconds_between('conversations.created_at', 'assignments.first_assigned_at') }}
    end as time_to_first_assignment_seconds,

    conversations.satisfaction_score as csat_score,
    conversations.satisfaction_rating as csat_rating,
    conversations.satisfaction_status as csat_status,

    coalesce(sla.sla_metrics, 0) as sla_metrics,
    coalesce(sla.sla_metrics_breached, 0) as sla_metrics_breached,
    coalesce(sla.sla_breached, false) as sla_breached,
    sla.first_sla_breach_at
from conversations
inner join timings on conversations.conversation_id = timings.conversation_id
left join sla on conversations.conversation_id = sla.conversation_id
left join history on conversations.conversation_id = history.conversation_id
left join assignments on conversations.conversation_id = assignments.conversation_id
