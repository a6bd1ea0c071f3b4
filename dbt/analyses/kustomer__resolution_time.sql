-- 2. How long to resolve? Created to last done, for conversations done now, by channel.
select
    channel,
    count(*) as done,
    round(cast({{ kustomer.percentile_cont('full_resolution_business_seconds', 0.5) }} / 3600 as {{ kustomer.type_decimal() }}), 1) as median_business_hours,
    round(cast({{ kustomer.percentile_cont('full_resolution_seconds', 0.5) }} / 3600 as {{ kustomer.type_decimal() }}), 1) as median_hours,
    round(cast({{ kustomer.percentile_cont('full_resolution_seconds', 0.9) }} / 3600 as {{ kustomer.type_decimal() }}), 1) as p90_hours
from {{ ref('kustomer__conversation_metrics') }}
where status = 'done'
    and not is_deleted
group by channel
order by done desc
