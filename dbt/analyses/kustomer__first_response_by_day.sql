-- 1. How fast do we first reply, in business hours? The median per day of creation, the last 14 days with a reply.
select
    date_day,
    conversations_created as created,
    conversations_responded as responded,
    round(cast(median_first_response_business_seconds / 3600 as {{ kustomer.type_decimal() }}), 2) as median_business_hours,
    round(cast(median_first_response_seconds / 3600 as {{ kustomer.type_decimal() }}), 2) as median_hours
from {{ ref('kustomer__conversation_daily') }}
where conversations_responded > 0
order by date_day desc
limit 14
