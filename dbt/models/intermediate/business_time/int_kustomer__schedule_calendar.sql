{#- The default schedule's calendar: one row per local date in its time zone, from the day before
    the data's first instant to the day after its last (conversations' created_at, updated_at,
    first and last done; messages' times), with the date's weekday (0 = Sunday) and that weekday's
    opening hours, hours[weekday]: a JSON array of [start, end] minutes after local midnight, or
    null (closed). Empty without a default schedule or without data. -#}
with instants as (
    select created_at as moment from {{ ref('stg_kustomer__conversations') }}
    union all
    select updated_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select first_done_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select last_done_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select message_at from {{ ref('int_kustomer__messages') }}
),

span as (
    select
        schedule.schedule_id,
        schedule.timezone,
        schedule.hours,
        {{ kustomer.local_date('bounds.starts_at', 'schedule.timezone') }} as first_date,
        {{ kustomer.local_date('bounds.ends_at', 'schedule.timezone') }} as last_date
    from {{ ref('int_kustomer__default_schedule') }} as schedule
    cross join (select min(moment) as starts_at, max(moment) as ends_at from instants) as bounds
    where bounds.starts_at is not null
),

dates as (
    select
        span.schedule_id,
        span.timezone,
        span.hours,
        cast({{ dbt.dateadd('day', 'days.n - 1', 'span.first_date') }} as date) as local_date
    from span
    cross join {{ kustomer.integer_series('(select ' ~ dbt.datediff('first_date', 'last_date', 'day') ~ ' + 2 from span)') }} as days
),

weekdays as (
    select
        schedule_id,
        timezone,
        local_date,
        {{ kustomer.weekday('local_date') }} as weekday,
        hours
    from dates
),

day_hours as (
    select
        schedule_id,
        timezone,
        local_date,
        weekday,
        case weekday
        {%- for weekday in range(7) %}
            when {{ weekday }} then {{ kustomer.json_get('hours', [weekday | string]) }}
        {%- endfor %}
        end as hours
    from weekdays
)

select
    schedule_id,
    timezone,
    local_date,
    weekday,
    case when {{ kustomer.is_json_array('hours') }} then hours end as hours
from day_hours
