{#- One row per email address of a customer. Unnested from the latest row of each customer. -#}
select
    parent.customer_id,
    item.value ->> 'email' as email,
    item.value ->> 'type' as email_type,
    (item.value ->> 'verified')::boolean as is_verified,
    item.position
from {{ ref('stg_kustomer__customers') }} as parent
cross join lateral jsonb_array_elements(
    case when jsonb_typeof(parent.emails) = 'array' then parent.emails else '[]'::jsonb end
) with ordinality as item(value, position)
