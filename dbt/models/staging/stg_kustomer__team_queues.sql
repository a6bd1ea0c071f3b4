{#- One row per queue a team's routing settings route from. Unnested from the latest row of each
    team's settings. -#}
select
    parent.team_id,
    item.value ->> 'id' as queue_id,
    item.position
from {{ ref('stg_kustomer__team_routing_settings') }} as parent
cross join lateral jsonb_array_elements(
    case when jsonb_typeof(parent.queues) = 'array' then parent.queues else '[]'::jsonb end
) with ordinality as item(value, position)
