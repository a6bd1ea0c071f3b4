{#-
  Instants, time zones and durations, per engine. An instant is a UTC point in time:
  timestamptz on PostgreSQL and DuckDB, timestamp_ntz holding UTC on Snowflake (as its Singer
  target loads it), timestamp on BigQuery. Nothing here depends on the session's or the host's time
  zone: every conversion names its zone, durations are integer milliseconds.

    type_instant()                    the type
    instant_from_text(text)           an ISO-8601 text with its offset ('2025-11-02T06:30:00.125Z')
    loaded_instant(column, type)      a date-time column as a target loaded it (type: the column's)
    local_to_instant(local, zone)     a local date-time (no zone) in IANA `zone` -> the instant
    local_date(instant, zone)         the calendar date in `zone` at an instant ('UTC': the UTC date)
    weekday(date)                     0 = Sunday ... 6 = Saturday
    epoch_ms(instant)                 milliseconds since 1970-01-01 UTC, an integer
    seconds_from_ms(milliseconds)     exact seconds, three decimals: type_seconds(), decimal(38, 3)
    seconds_between(start, end)       end - start in exact seconds
-#}

{% macro type_instant() -%}{{ return(adapter.dispatch('type_instant', 'kustomer')()) }}{%- endmacro %}
{% macro default__type_instant() -%}timestamp with time zone{%- endmacro %}
{% macro postgres__type_instant() -%}timestamptz{%- endmacro %}
{% macro snowflake__type_instant() -%}timestamp_ntz{%- endmacro %}
{% macro bigquery__type_instant() -%}timestamp{%- endmacro %}


{% macro instant_from_text(text) -%}{{ return(adapter.dispatch('instant_from_text', 'kustomer')(text)) }}{%- endmacro %}
{% macro default__instant_from_text(text) -%}cast({{ text }} as {{ kustomer.type_instant() }}){%- endmacro %}
{% macro snowflake__instant_from_text(text) -%}
  cast(convert_timezone('UTC', to_timestamp_tz({{ text }})) as timestamp_ntz)
{%- endmacro %}
{% macro bigquery__instant_from_text(text) -%}timestamp({{ text }}){%- endmacro %}


{% macro loaded_instant(column, data_type) -%}
  {{ return(adapter.dispatch('loaded_instant', 'kustomer')(column, data_type | lower)) }}
{%- endmacro %}
{% macro default__loaded_instant(column, data_type) -%}
  {#- the PostgreSQL targets write UTC into timestamp without time zone -#}
  {%- if data_type.startswith('timestamp without') or data_type == 'timestamp' -%} ({{ column }} at time zone 'UTC')
  {%- elif data_type.startswith('timestamp') -%} {{ column }}
  {%- else -%} {{ kustomer.instant_from_text(column) }}
  {%- endif -%}
{%- endmacro %}
{% macro duckdb__loaded_instant(column, data_type) -%}
  {%- if data_type.startswith('timestamp with') or data_type == 'timestamptz' -%} {{ column }}
  {%- elif data_type.startswith('timestamp') -%} timezone('UTC', {{ column }})
  {%- else -%} {{ kustomer.instant_from_text(column) }}
  {%- endif -%}
{%- endmacro %}
{% macro snowflake__loaded_instant(column, data_type) -%}
  {%- if data_type.startswith('timestamp_ntz') or data_type.startswith('timestamp without') -%} {{ column }}
  {%- elif data_type.startswith('timestamp') -%} cast(convert_timezone('UTC', {{ column }}) as timestamp_ntz)
  {%- else -%} {{ kustomer.instant_from_text(column) }}
  {%- endif -%}
{%- endmacro %}
{% macro bigquery__loaded_instant(column, data_type) -%}
  {%- if data_type == 'timestamp' -%} {{ column }}
  {%- elif data_type == 'datetime' -%} timestamp({{ column }}, 'UTC')
  {%- else -%} {{ kustomer.instant_from_text(column) }}
  {%- endif -%}
{%- endmacro %}


{% macro local_to_instant(local, zone) -%}{{ return(adapter.dispatch('local_to_instant', 'kustomer')(local, zone)) }}{%- endmacro %}
{% macro default__local_to_instant(local, zone) -%}(({{ local }}) at time zone {{ zone }}){%- endmacro %}
{% macro duckdb__local_to_instant(local, zone) -%}timezone({{ zone }}, {{ local }}){%- endmacro %}
{% macro snowflake__local_to_instant(local, zone) -%}convert_timezone({{ zone }}, 'UTC', {{ local }}){%- endmacro %}
{% macro bigquery__local_to_instant(local, zone) -%}timestamp({{ local }}, {{ zone }}){%- endmacro %}


{% macro local_date(instant, zone) -%}{{ return(adapter.dispatch('local_date', 'kustomer')(instant, zone)) }}{%- endmacro %}
{% macro default__local_date(instant, zone) -%}cast((({{ instant }}) at time zone {{ zone }}) as date){%- endmacro %}
{% macro duckdb__local_date(instant, zone) -%}cast(timezone({{ zone }}, {{ instant }}) as date){%- endmacro %}
{% macro snowflake__local_date(instant, zone) -%}cast(convert_timezone('UTC', {{ zone }}, {{ instant }}) as date){%- endmacro %}
{% macro bigquery__local_date(instant, zone) -%}date({{ instant }}, {{ zone }}){%- endmacro %}


{% macro weekday(date) -%}{{ return(adapter.dispatch('weekday', 'kustomer')(date)) }}{%- endmacro %}
{% macro default__weekday(date) -%}cast(extract(dow from {{ date }}) as {{ dbt.type_int() }}){%- endmacro %}
{% macro snowflake__weekday(date) -%}mod(dayofweekiso({{ date }}), 7){%- endmacro %}
{% macro bigquery__weekday(date) -%}(extract(dayofweek from {{ date }}) - 1){%- endmacro %}


{% macro epoch_ms(instant) -%}{{ return(adapter.dispatch('epoch_ms', 'kustomer')(instant)) }}{%- endmacro %}
{% macro default__epoch_ms(instant) -%}cast(floor(extract(epoch from {{ instant }}) * 1000) as {{ dbt.type_bigint() }}){%- endmacro %}
{% macro duckdb__epoch_ms(instant) -%}epoch_ms({{ instant }}){%- endmacro %}
{% macro snowflake__epoch_ms(instant) -%}date_part(epoch_millisecond, {{ instant }}){%- endmacro %}
{% macro bigquery__epoch_ms(instant) -%}unix_millis({{ instant }}){%- endmacro %}


{% macro seconds_from_ms(milliseconds) -%}{{ return(adapter.dispatch('seconds_from_ms', 'kustomer')(milliseconds)) }}{%- endmacro %}
{% macro default__seconds_from_ms(milliseconds) -%}cast(({{ milliseconds }}) * 0.001 as {{ kustomer.type_seconds() }}){%- endmacro %}
{% macro bigquery__seconds_from_ms(milliseconds) -%}(cast({{ milliseconds }} as numeric) / 1000){%- endmacro %}


{% macro type_seconds() -%}{{ return(adapter.dispatch('type_seconds', 'kustomer')()) }}{%- endmacro %}
{% macro default__type_seconds() -%}decimal(38, 3){%- endmacro %}
{% macro bigquery__type_seconds() -%}numeric{%- endmacro %}


{% macro seconds_between(start, end) -%}
  {{ kustomer.seconds_from_ms(kustomer.epoch_ms(end) ~ ' - ' ~ kustomer.epoch_ms(start)) }}
{%- endmacro %}
