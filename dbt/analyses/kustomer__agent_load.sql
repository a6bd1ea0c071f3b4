-- 5. Who carries the load? Per agent, the last 30 days of the data: replies, first responses, resolutions, SLA breaches, hours available.
select
    user_name,
    sum(replies) as replies,
    sum(first_responses) as first_responses,
    sum(conversations_resolved) as resolved,
    sum(sla_breaches) as sla_breaches,
    round(cast(sum(available_seconds) / 3600 as {{ kustomer.type_decimal() }}), 1) as hours_available
from {{ ref('kustomer__agent_daily') }}
where date_day > (select {{ dbt.dateadd('day', -30, 'max(date_day)') }} from {{ ref('kustomer__agent_daily') }})
group by user_name
order by replies desc, resolved desc, user_name
limit 10
