{#- The default schedule's open time as UTC intervals, in order: for each local date d of the
    calendar, each [start, end] of its hours is the instants from local(d 00:00 + start minutes) to
    local(d 00:00 + end minutes), 1440 being the next local midnight, converted by the zone's rules
    on that date (a 23- or 25-hour day keeps its local hours); minus [start_date, end_date) of every
    holiday whose enabled is not false. Each engine reads a local time that does not exist (spring
    forward) with the offset before the switch and an ambiguous one (fall back) with the offset
    after it, as PostgreSQL does (DECISIONLOG.md; the unit tests pin both).
    Portable SQL: every boundary is an event (+1 / -1 opening, +1 / -1 holiday), and the time is open
    where, after the events at an instant, some opening is on and no holiday; adjacent or
    overlapping openings merge. seconds_before / seconds_through: open seconds before the interval /
    up to its end. -#}
with shifts as (
    select
        schedule_id,
        timezone,
        local_date,
        {{ kustomer.json_as('integer', 'item_value', [0]) }} as start_minute,
        {{ kustomer.json_as('integer', 'item_value', [1]) }} as end_minute
    from (
        {{ kustomer.json_items(ref('int_kustomer__schedule_calendar'), 'hours') }}
    ) as calendar_hours
),

openings as (
    select
        {{ kustomer.local_to_instant(dbt.dateadd('minute', 'start_minute', 'local_date'), 'timezone') }} as opens_at,
        {{ kustomer.local_to_instant(dbt.dateadd('minute', 'end_minute', 'local_date'), 'timezone') }} as closes_at
    from shifts
    where end_minute > start_minute
),

holidays as (
    select holidays.starts_at, holidays.ends_at
    from {{ ref('stg_kustomer__business_holidays') }} as holidays
    where holidays.is_enabled is not false
        and holidays.ends_at > holidays.starts_at
        and coalesce(holidays.schedule_id, holidays.schedule_relationship_id)
            in (select schedule_id from {{ ref('int_kustomer__schedule_calendar') }})
),

events as (
    select opens_at as moment, 1 as opening_step, 0 as holiday_step from openings
    union all
    select closes_at, -1, 0 from openings
    union all
    select starts_at, 0, 1 from holidays
    union all
    select ends_at, 0, -1 from holidays
),

depths as (
    select
        moment,
        sum(sum(opening_step)) over (order by moment rows between unbounded preceding and current row) as openings_on,
        sum(sum(holiday_step)) over (order by moment rows between unbounded preceding and current row) as holidays_on
    from events
    group by moment
),

states as (
    select moment, case when openings_on > 0 and holidays_on = 0 then 1 else 0 end as is_open
    from depths
),

changes as (
    select moment, is_open, lead(moment) over (order by moment) as next_at
    from (select moment, is_open, lag(is_open, 1, 0) over (order by moment) as was_open from states) as steps
    where is_open <> was_open
),

intervals as (
    select
        moment as open_from,
        next_at as open_to,
        {{ kustomer.epoch_ms('next_at') }} - {{ kustomer.epoch_ms('moment') }} as open_ms
    from changes
    where is_open = 1
)

select
    (select max(schedule_id) from {{ ref('int_kustomer__schedule_calendar') }}) as schedule_id,
    open_from,
    open_to,
    {{ kustomer.seconds_from_ms('open_ms') }} as open_seconds,
    {{ kustomer.seconds_from_ms('coalesce(sum(open_ms) over (order by open_from rows between unbounded preceding and 1 preceding), 0)') }}
        as seconds_before,
    {{ kustomer.seconds_from_ms('sum(open_ms) over (order by open_from rows between unbounded preceding and current row)') }}
        as seconds_through
from intervals
