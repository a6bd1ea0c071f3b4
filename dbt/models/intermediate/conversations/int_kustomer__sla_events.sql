{#- One row per SLA metric of a conversation: breached when breach_at is set, was reached by the
    time of the data (the latest updated_at among conversations), and the metric was not satisfied
    by then (satisfied_at null or later than breach_at). -#}
with data_time as (
    select max(updated_at) as data_at from {{ ref('stg_kustomer__conversations') }}
)

select
    events.conversation_id,
    events.metric,
    events.breach_at,
    events.satisfied_at,
    coalesce(
        events.breach_at is not null
        and (events.satisfied_at is null or events.satisfied_at > events.breach_at)
        and events.breach_at <= data_time.data_at,
        false
    ) as is_breached,
    data_time.data_at,
    events.details
from {{ ref('stg_kustomer__conversation_sla_metrics') }} as events
cross join data_time
