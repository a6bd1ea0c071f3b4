{#-
  Business time, exact over any span: int_kustomer__schedule_intervals holds the default schedule's
  open intervals (holidays removed) with the open seconds before each (seconds_before) and up to
  its end (seconds_through). B(t), the open seconds before instant t, comes from the last interval
  opened at or before t; the business seconds of [t1, t2) are B(t2) - B(t1). No week numbers, no
  cap on spans: the intervals cover every date the data needs.
-#}

{% macro business_clock(instants, intervals) %}
{#- One row per instant of relation `instants` (its column `moment`: distinct, not null) with B(moment) as
    open_seconds_before: 0 before the first interval. The last opening at or before each instant is
    found without a correlated lookup: intervals and instants go in one stream ordered by time (an
    opening before an instant at the same time), and each instant carries the latest opening seen. -#}
select
    stream.moment,
    case
        when clock.open_from is null then {{ kustomer.seconds_from_ms('0') }}
        when stream.moment >= clock.open_to then clock.seconds_through
        else clock.seconds_before + {{ kustomer.seconds_between('clock.open_from', 'stream.moment') }}
    end as open_seconds_before
from (
    select
        moment,
        is_instant,
        max(opened_at) over (order by moment, is_instant rows between unbounded preceding and current row) as opened_at
    from (
        select open_from as moment, 0 as is_instant, open_from as opened_at from {{ intervals }}
        union all
        select moment, 1, cast(null as {{ kustomer.type_instant() }}) from {{ instants }}
    ) as timeline
) as stream
left join {{ intervals }} as clock on stream.opened_at = clock.open_from
where stream.is_instant = 1
{% endmacro %}
