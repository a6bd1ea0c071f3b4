{#- One row per member of a team (teams.members): the memberships the package uses. Unnested from the latest row of each team, so an array that shrank leaves no stale rows. -#}
select
    parent.team_id,
    item.value as user_id,
    item.position
from {{ ref('stg_kustomer__teams') }} as parent
cross join lateral jsonb_array_elements_text(parent.member_user_ids) with ordinality as item(value, position)
