{#-
  Business time, exact over any span: int_kustomer__schedule_intervals holds the default schedule's
  open intervals (holidays removed) with the open seconds before each (seconds_before) and up to
  its end (seconds_through). B(t), the open seconds up to instant t, is one indexed lookup of the
  last interval that opened at or before t; the business seconds of [t1, t2) are B(t2) - B(t1).
  No week numbers, no cap on spans: the intervals cover every date the data needs.
-#}

{% macro business_clock(instant) -%}
  (case when {{ instant }} is not null and exists (select 1 from {{ ref('int_kustomer__default_schedule') }}) then
    coalesce((
      select case when {{ instant }} >= clock.open_to then clock.seconds_through
                  else clock.seconds_before + extract(epoch from {{ instant }} - clock.open_from) end
      from {{ ref('int_kustomer__schedule_intervals') }} as clock
      where clock.open_from <= {{ instant }}
      order by clock.open_from desc
      limit 1
    ), 0)
  end)
{%- endmacro %}


{% macro business_seconds(start_at, end_at) -%}
  {#- open seconds of the default schedule in [start_at, end_at); null without a default schedule
      or either instant; without trailing zeros, as calendar_seconds -#}
  trim_scale({{ kustomer.business_clock(end_at) }} - {{ kustomer.business_clock(start_at) }})
{%- endmacro %}


{% macro calendar_seconds(start_at, end_at) -%}
  {#- seconds from start_at to end_at, to the microsecond, without trailing zeros (3600.5, not 3600.500000) -#}
  trim_scale(extract(epoch from {{ end_at }} - {{ start_at }}))
{%- endmacro %}
