{#- One row per UTC date of conversation created_at (conversations deleted since are left out):
    how many came in, how fast they were first answered and resolved, CSAT, SLA breaches. -#}
select
    (created_at at time zone 'UTC')::date as date_day,
    count(*) as conversations_created,
    count(*) filter (where first_response_at is not null) as conversations_responded,
    percentile_cont(0.5) within group (order by first_response_seconds) as median_first_response_seconds,
    percentile_cont(0.9) within group (order by first_response_seconds) as p90_first_response_seconds,
    percentile_cont(0.5) within group (order by first_response_business_seconds) as median_first_response_business_seconds,
    percentile_cont(0.9) within group (order by first_response_business_seconds) as p90_first_response_business_seconds,
    count(*) filter (where status = 'done') as conversations_done,
    percentile_cont(0.5) within group (order by full_resolution_business_seconds)
        filter (where status = 'done') as median_full_resolution_business_seconds,
    sum(human_replies) as human_replies,
    sum(reopen_count) as reopens,
    count(csat_score) as csat_responses,
    avg(csat_score) as csat_score,
    avg(csat_rating) as csat_rating,
    count(*) filter (where sla_breached) as sla_breached_conversations
from {{ ref('kustomer__conversation_metrics') }}
where not is_deleted
group by 1
