-- 7. How big was the backlog each morning? Open and snoozed at the start of each UTC day (the end of the day before), the last 14 days.
select
    cast({{ dbt.dateadd('day', 1, 'date_day') }} as date) as morning,
    open_conversations as open,
    snoozed_conversations as snoozed,
    open_conversations + snoozed_conversations as backlog
from {{ ref('kustomer__backlog_daily') }}
order by date_day desc
limit 14
