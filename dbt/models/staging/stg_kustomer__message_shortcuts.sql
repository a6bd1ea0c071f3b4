{#- One row per shortcut (saved reply) a message used. Unnested from the latest row of each message, so an array that shrank leaves no stale rows. -#}
select
    parent.message_id,
    item.value as shortcut_id,
    item.position
from {{ ref('stg_kustomer__messages') }} as parent
cross join lateral jsonb_array_elements_text(parent.shortcut_ids) with ordinality as item(value, position)
