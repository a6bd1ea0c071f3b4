{#- One row per channel of a conversation. Unnested from the latest row of each conversation, so an array that shrank leaves no stale rows. -#}
select
    parent.conversation_id,
    item.value as channel,
    item.position
from {{ ref('stg_kustomer__conversations') }} as parent
cross join lateral jsonb_array_elements_text(parent.channels) with ordinality as item(value, position)
