{#-
  Aggregates and series, per engine.

    percentile_cont(value, fraction)  the continuous percentile of a group's non-null values, as a
                                      double (an ordered-set aggregate where the engine has one)
    integer_series(count)             a relation of one column, n = 0 .. count (count: an integer
                                      expression, a scalar subquery included)
    type_decimal()                    an exact decimal for the numbers the API sends (38 digits, 9 decimals)
    integer_from_text(text)           an integer written as text ('12', '12.0') as a bigint
    type_double()                     a 64-bit float (dbt.type_float() is a 32-bit FLOAT on DuckDB)
-#}

{% macro percentile_cont(value, fraction) -%}{{ return(adapter.dispatch('percentile_cont', 'kustomer')(value, fraction)) }}{%- endmacro %}
{% macro default__percentile_cont(value, fraction) -%}
  percentile_cont({{ fraction }}) within group (order by cast({{ value }} as {{ kustomer.type_double() }}))
{%- endmacro %}
{% macro duckdb__percentile_cont(value, fraction) -%}
  quantile_cont(cast({{ value }} as double), {{ fraction }})
{%- endmacro %}
{% macro bigquery__percentile_cont(value, fraction) -%}
  {#- BigQuery's PERCENTILE_CONT is analytic only: the same interpolation over the sorted values -#}
  {%- set values = 'array_agg(cast(' ~ value ~ ' as float64) ignore nulls order by cast(' ~ value ~ ' as float64))' -%}
  {%- set at = fraction ~ ' * (array_length(' ~ values ~ ') - 1)' -%}
  ({{ values }}[safe_offset(cast(floor({{ at }}) as int64))]
   + ({{ values }}[safe_offset(cast(ceil({{ at }}) as int64))] - {{ values }}[safe_offset(cast(floor({{ at }}) as int64))])
   * ({{ at }} - floor({{ at }})))
{%- endmacro %}


{% macro integer_series(count) -%}{{ return(adapter.dispatch('integer_series', 'kustomer')(count)) }}{%- endmacro %}
{% macro default__integer_series(count) -%}
  {#- digits cross-joined: up to 100,000 values (273 years of days) -#}
  (select ones.d + 10 * tens.d + 100 * hundreds.d + 1000 * thousands.d + 10000 * tens_of_thousands.d as n
   from {% for place in ['ones', 'tens', 'hundreds', 'thousands', 'tens_of_thousands'] -%}
     (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4 union all
      select 5 union all select 6 union all select 7 union all select 8 union all select 9) as {{ place }}
     {{- ' cross join ' if not loop.last }}
   {% endfor -%}
   where ones.d + 10 * tens.d + 100 * hundreds.d + 1000 * thousands.d + 10000 * tens_of_thousands.d <= {{ count }})
{%- endmacro %}
{% macro postgres__integer_series(count) -%}(select generate_series(0, {{ count }}) as n){%- endmacro %}
{% macro duckdb__integer_series(count) -%}(select unnest(range(0, ({{ count }}) + 1)) as n){%- endmacro %}
{% macro snowflake__integer_series(count) -%}
  (select cast(series.value as integer) as n from table(flatten(input => array_generate_range(0, ({{ count }}) + 1))) as series)
{%- endmacro %}
{% macro bigquery__integer_series(count) -%}(select n from unnest(generate_array(0, {{ count }})) as n){%- endmacro %}


{% macro type_decimal() -%}{{ return(adapter.dispatch('type_decimal', 'kustomer')()) }}{%- endmacro %}
{% macro default__type_decimal() -%}decimal(38, 9){%- endmacro %}
{% macro postgres__type_decimal() -%}numeric{%- endmacro %}
{% macro bigquery__type_decimal() -%}numeric{%- endmacro %}


{% macro type_double() -%}{{ return(adapter.dispatch('type_double', 'kustomer')()) }}{%- endmacro %}
{% macro default__type_double() -%}double precision{%- endmacro %}
{% macro bigquery__type_double() -%}float64{%- endmacro %}


{% macro integer_from_text(text) -%}{{ return(adapter.dispatch('integer_from_text', 'kustomer')(text)) }}{%- endmacro %}
{% macro default__integer_from_text(text) -%}cast(cast({{ text }} as {{ kustomer.type_decimal() }}) as {{ dbt.type_bigint() }}){%- endmacro %}
{% macro duckdb__integer_from_text(text) -%}
  {#- DuckDB reads '12.0' as a bigint itself; through decimal(38, 9) it is 60 times slower -#}
  cast({{ text }} as bigint)
{%- endmacro %}
