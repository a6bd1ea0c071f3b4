-- 3. How many SLAs did we breach? Per SLA metric, by the time of the data.
select
    metric,
    count(*) as events,
    sum(case when is_breached then 1 else 0 end) as breached,
    round(cast(100.0 * sum(case when is_breached then 1 else 0 end) / count(*) as {{ kustomer.type_decimal() }}), 1) as breached_percent
from {{ ref('kustomer__sla_events') }}
group by metric
order by breached desc, metric
