{#- One row per team per UTC day its members did anything: the agent measures, with each event
    counted once per team of the agent (teams.members now; empty without the teams stream). -#}
select
    activity.date_day,
    memberships.team_id,
    memberships.team_name,
    count(distinct activity.user_id) as active_agents,
    {{ kustomer.activity_measures('activity') }}
from {{ ref('int_kustomer__agent_activity') }} as activity
inner join {{ ref('int_kustomer__team_memberships') }} as memberships on activity.user_id = memberships.user_id
group by 1, 2, 3
