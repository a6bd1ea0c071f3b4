{#- One row per user a conversation is assigned to. Unnested from the latest row of each conversation, so an array that shrank leaves no stale rows. -#}
select
    parent.conversation_id,
    item.value as user_id,
    item.position
from {{ ref('stg_kustomer__conversations') }} as parent
cross join lateral jsonb_array_elements_text(parent.assigned_user_ids) with ordinality as item(value, position)
