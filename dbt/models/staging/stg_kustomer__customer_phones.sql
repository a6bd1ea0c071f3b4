{#- One row per phone number of a customer. Unnested from the latest row of each customer. -#}
select
    parent.customer_id,
    item.value ->> 'phone' as phone,
    item.value ->> 'type' as phone_type,
    (item.value ->> 'verified')::boolean as is_verified,
    item.position
from {{ ref('stg_kustomer__customers') }} as parent
cross join lateral jsonb_array_elements(
    case when jsonb_typeof(parent.phones) = 'array' then parent.phones else '[]'::jsonb end
) with ordinality as item(value, position)
