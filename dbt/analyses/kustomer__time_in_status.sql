-- 6. How long do conversations sit open, or snoozed? Intervals that began in the last 30 days of the data, in business and calendar hours.
select
    status,
    count(*) as intervals,
    round(cast(sum(business_seconds) / 3600 as {{ kustomer.type_decimal() }}), 1) as business_hours,
    round(cast({{ kustomer.percentile_cont('business_seconds', 0.5) }} / 3600 as {{ kustomer.type_decimal() }}), 2) as median_business_hours,
    round(cast({{ kustomer.percentile_cont('calendar_seconds', 0.5) }} / 3600 as {{ kustomer.type_decimal() }}), 2) as median_hours,
    sum(case when is_current then 1 else 0 end) as still_in_it
from {{ ref('kustomer__conversation_status_history') }}
where status in ('open', 'snoozed')
    and valid_from > (select {{ dbt.dateadd('day', -30, 'max(valid_from)') }} from {{ ref('kustomer__conversation_status_history') }})
group by status
order by status
