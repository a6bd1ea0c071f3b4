{#-
  What differs between the two Singer targets the package reads, one macro per difference. Only
  staging calls these; nothing above staging knows which target loaded the tables.

    meltanolabs-target-postgres 0.8.1   arrays of scalars as PostgreSQL arrays (text[]), arrays of
                                        objects (and of untyped items) as jsonb[]; _sdc_* columns;
                                        ACTIVATE_VERSION marks rows of older versions _sdc_deleted_at
    pipelinewise-target-postgres 2.1.2  every array as jsonb; no _sdc_* columns unless
                                        add_metadata_columns; ignores ACTIVATE_VERSION
  Both store date-times as timestamp without time zone holding UTC, and nested objects as jsonb.
-#}

{% macro loader() %}
  {%- set name = var('kustomer_loader') -%}
  {%- if name not in ('meltanolabs', 'pipelinewise') -%}
    {{ exceptions.raise_compiler_error("var kustomer_loader is '" ~ name ~ "': use meltanolabs (meltanolabs-target-postgres) or pipelinewise (pipelinewise-target-postgres)") }}
  {%- endif -%}
  {{ return(name) }}
{% endmacro %}


{% macro json_array(expression) -%}
  {#- an array column as one jsonb array -#}
  {%- if kustomer.loader() == 'pipelinewise' -%}
    {{ expression }}
  {%- else -%}
    to_jsonb({{ expression }})
  {%- endif -%}
{%- endmacro %}


{% macro latest_first(latest_by, types) -%}
  {#- the window order that puts the latest row of a key first: the stream's own stamp, then the
      load order the target records (meltanolabs always, pipelinewise with add_metadata_columns) -#}
  {%- set terms = [] -%}
  {%- for column in latest_by if column in types -%}
    {%- do terms.append(adapter.quote(column) ~ ' desc nulls last') -%}
  {%- endfor -%}
  {%- set load_order = ['_sdc_batched_at', '_sdc_sequence'] if kustomer.loader() == 'meltanolabs' else ['_sdc_batched_at'] -%}
  {%- for column in load_order if column in types -%}
    {%- do terms.append(column ~ ' desc nulls last') -%}
  {%- endfor -%}
  {{ terms | join(', ') if terms else '(select 1)' }}
{%- endmacro %}


{% macro live_rows(types) -%}
  {#- meltanolabs keeps rows an ACTIVATE_VERSION retired, marked _sdc_deleted_at (unless hard_delete);
      pipelinewise ignores ACTIVATE_VERSION, so nothing marks them (docs/dbt.md: team members) -#}
  {%- if kustomer.loader() == 'meltanolabs' and '_sdc_deleted_at' in types -%}
    _sdc_deleted_at is null
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}


{% macro utc_timestamp(expression, data_type) -%}
  {#- a loaded date-time as timestamptz: both targets write UTC into timestamp without time zone -#}
  {%- if data_type.startswith('timestamp without') -%}
    ({{ expression }} at time zone 'UTC')
  {%- elif data_type.startswith('timestamp with') -%}
    {{ expression }}
  {%- else -%}
    ({{ expression }})::timestamptz
  {%- endif -%}
{%- endmacro %}
