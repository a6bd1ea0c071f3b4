{#- One row per UTC date of conversation created_at (conversations deleted since are left out):
    how many came in, how fast they were first answered and resolved, CSAT, SLA breaches. -#}
select
    {{ kustomer.local_date('created_at', "'UTC'") }} as date_day,
    count(*) as conversations_created,
    sum(case when first_response_at is not null then 1 else 0 end) as conversations_responded,
    {{ kustomer.percentile_cont('first_response_seconds', 0.5) }} as median_first_response_seconds,
    {{ kustomer.percentile_cont('first_response_seconds', 0.9) }} as p90_first_response_seconds,
    {{ kustomer.percentile_cont('first_response_business_seconds', 0.5) }} as median_first_response_business_seconds,
    {{ kustomer.percentile_cont('first_response_business_seconds', 0.9) }} as p90_first_response_business_seconds,
    sum(case when status = 'done' then 1 else 0 end) as conversations_done,
    {{ kustomer.percentile_cont("case when status = 'done' then full_resolution_business_seconds end", 0.5) }}
        as median_full_resolution_business_seconds,
    sum(human_replies) as human_replies,
    sum(reopen_count) as reopens,
    count(csat_score) as csat_responses,
    avg(cast(csat_score as {{ kustomer.type_double() }})) as csat_score,
    avg(cast(csat_rating as {{ kustomer.type_double() }})) as csat_rating,
    sum(case when sla_breached then 1 else 0 end) as sla_breached_conversations
from {{ ref('kustomer__conversation_metrics') }}
where not is_deleted
group by 1
