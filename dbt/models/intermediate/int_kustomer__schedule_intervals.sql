{{ config(indexes=[{'columns': ['open_from']}]) }}
{#- The default schedule's open time as UTC intervals, in order: for each local date d in its time
    zone, each [start, end] of hours[weekday(d)] ("0" = Sunday; null or missing: closed) is the
    instants from local(d 00:00 + start minutes) to local(d 00:00 + end minutes), 1440 being the
    next local midnight, converted by the zone's rules on that date (a 23- or 25-hour day keeps
    its local hours); minus [start_date, end_date) of every holiday whose enabled is not false.
    PostgreSQL reads a local time that does not exist (spring forward) with the offset before the
    switch and an ambiguous one (fall back) with the offset after it (DECISIONLOG.md).
    seconds_before / seconds_through: open seconds before the interval / up to its end. -#}
with schedule as (
    select schedule_id, timezone, hours from {{ ref('int_kustomer__default_schedule') }}
),

local_dates as (
    select
        schedule.schedule_id,
        schedule.timezone,
        schedule.hours,
        first_date + day_number as local_date
    from schedule
    cross join {{ ref('int_kustomer__business_time_bounds') }} as bounds
    cross join lateral (
        select
            (bounds.starts_at at time zone schedule.timezone)::date - 1 as first_date,
            (bounds.ends_at at time zone schedule.timezone)::date + 1 as last_date
    ) as span
    cross join lateral generate_series(0, span.last_date - span.first_date) as day_number
    where bounds.starts_at is not null
),

shifts as (
    select
        local_dates.local_date,
        local_dates.timezone,
        (shift ->> 0)::integer as start_minute,
        (shift ->> 1)::integer as end_minute
    from local_dates
    cross join lateral jsonb_array_elements(
        case
            when jsonb_typeof(local_dates.hours -> extract(dow from local_dates.local_date)::integer::text) = 'array'
                then local_dates.hours -> extract(dow from local_dates.local_date)::integer::text
            else '[]'::jsonb
        end
    ) as shift
),

opening_hours as (
    select tstzrange(
        (local_date + start_minute * interval '1 minute') at time zone timezone,
        (local_date + end_minute * interval '1 minute') at time zone timezone,
        '[)'
    ) as open_range
    from shifts
    where end_minute > start_minute
),

holidays as (
    select tstzrange(holidays.starts_at, holidays.ends_at, '[)') as closed_range
    from {{ ref('stg_kustomer__business_holidays') }} as holidays
    inner join schedule
        on coalesce(holidays.schedule_id, holidays.schedule_relationship_id) = schedule.schedule_id
    where holidays.is_enabled is not false
        and holidays.ends_at > holidays.starts_at
),

open_time as (
    select unnest(
        coalesce((select range_agg(open_range) from opening_hours), '{}'::tstzmultirange)
        - coalesce((select range_agg(closed_range) from holidays), '{}'::tstzmultirange)
    ) as open_range
),

intervals as (
    select
        lower(open_range) as open_from,
        upper(open_range) as open_to,
        trim_scale(extract(epoch from upper(open_range) - lower(open_range))) as open_seconds
    from open_time
)

select
    (select schedule_id from schedule) as schedule_id,
    open_from,
    open_to,
    open_seconds,
    trim_scale(coalesce(sum(open_seconds) over (order by open_from rows between unbounded preceding and 1 preceding), 0))
        as seconds_before,
    trim_scale(sum(open_seconds) over (order by open_from rows between unbounded preceding and current row))
        as seconds_through
from intervals
