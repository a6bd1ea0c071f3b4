{#- One row per agent per UTC day they did anything: replies, first responses (median and p90),
    conversations resolved, CSAT, SLA breaches of their conversations, work sessions and available
    time. What counts for whom: int_kustomer__agent_activity. -#}
select
    activity.date_day,
    activity.user_id,
    users.name as user_name,
    users.email as user_email,
    {{ kustomer.activity_measures('activity') }}
from {{ ref('int_kustomer__agent_activity') }} as activity
left join {{ ref('stg_kustomer__users') }} as users on activity.user_id = users.user_id
group by 1, 2, 3, 4
