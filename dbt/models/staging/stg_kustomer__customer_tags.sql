{#- One row per tag on a customer. Unnested from the latest row of each customer, so an array that shrank leaves no stale rows. -#}
select
    parent.customer_id,
    item.value as tag_id,
    item.position
from {{ ref('stg_kustomer__customers') }} as parent
cross join lateral jsonb_array_elements_text(parent.tag_ids) with ordinality as item(value, position)
