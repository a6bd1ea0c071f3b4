{#- Who is in which team now: the members list of each live team's latest row (exact with any
    target; team_members from pipelinewise would keep memberships that ended), with the team's name. -#}
select distinct
    members.team_id,
    members.user_id,
    teams.name as team_name
from {{ ref('stg_kustomer__team_users') }} as members
inner join {{ ref('stg_kustomer__teams') }} as teams on members.team_id = teams.team_id
where teams.is_deleted is not true
    and teams.deleted_at is null
    and members.user_id is not null
