{#- The business schedule business time is measured on: the org's default (default = true, not
    deleted; the most recently updated if several), or var kustomer_business_schedule_id. One row,
    or none (then every business column is null). -#}
select
    schedule_id,
    name,
    timezone,
    hours
from {{ ref('stg_kustomer__business_schedules') }}
where
{%- if var('kustomer_business_schedule_id') %}
    schedule_id = '{{ var("kustomer_business_schedule_id") }}'
{%- else %}
    is_default
    and is_deleted is not true
    and deleted_at is null
{%- endif %}
order by updated_at desc nulls last, schedule_id desc
limit 1
