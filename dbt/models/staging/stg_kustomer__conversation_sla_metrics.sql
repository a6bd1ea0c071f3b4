{#- One row per key of a conversation's sla.metrics (first_response, next_reply, ... as the tap
    snake_cases them): the keys vary by SLA policy and every one is kept, with whatever it carries
    in `details`. Unnested from the latest row of each conversation. -#}
select
    parent.conversation_id,
    metric.key as metric,
    (metric.value ->> 'breach_at')::timestamptz as breach_at,
    (metric.value ->> 'satisfied_at')::timestamptz as satisfied_at,
    metric.value as details
from {{ ref('stg_kustomer__conversations') }} as parent
cross join lateral jsonb_each(
    case when jsonb_typeof(parent.sla_metrics) = 'object' then parent.sla_metrics else '{}'::jsonb end
) as metric(key, value)
where jsonb_typeof(metric.value) = 'object'
