{#- One row per attachment of a message. Unnested from the latest row of each message. -#}
select
    parent.message_id,
    item.value ->> 'id' as attachment_id,
    item.value ->> 'name' as name,
    item.value ->> 'content_type' as content_type,
    (item.value ->> 'content_length')::numeric::bigint as content_length,
    item.position
from {{ ref('stg_kustomer__messages') }} as parent
cross join lateral jsonb_array_elements(
    case when jsonb_typeof(parent.attachments) = 'array' then parent.attachments else '[]'::jsonb end
) with ordinality as item(value, position)
