{#-
  What differs between the Singer targets the package reads, in one place. Only staging reads these;
  nothing above staging knows which target loaded the tables. var kustomer_loader names the target:

    meltanolabs   meltanolabs-target-postgres 0.8.1   PostgreSQL; a column per field, nested objects jsonb,
                                                      arrays of scalars text[], of objects jsonb[];
                                                      ACTIVATE_VERSION marks retired rows _sdc_deleted_at
    pipelinewise  pipelinewise-target-postgres 2.1.2  PostgreSQL; nested objects and arrays jsonb; no
                                                      _sdc_* columns unless add_metadata_columns; ignores
                                                      ACTIVATE_VERSION
    duckdb        scripts/load-duckdb (this repository) DuckDB; nested values JSON, upserts by key,
                                                      ACTIVATE_VERSION deletes retired rows
    snowflake     meltanolabs-target-snowflake 0.20   Snowflake; nested values VARIANT, names upper-case,
                                                      ACTIVATE_VERSION marks retired rows _sdc_deleted_at
    bigquery      z3-target-bigquery 0.7 (default,    BigQuery; each record in one JSON column `data`,
                  not denormalized)                   appended (staging keeps the latest per key)
  The first three are run in CI; the last two are compiled only.
-#}

{% macro loader() %}
  {%- set loaders = {
      'meltanolabs': {'engines': ['postgres'], 'load_order': ['_sdc_batched_at', '_sdc_sequence'], 'deleted_at': '_sdc_deleted_at', 'record_column': none},
      'pipelinewise': {'engines': ['postgres'], 'load_order': ['_sdc_batched_at'], 'deleted_at': none, 'record_column': none},
      'duckdb': {'engines': ['duckdb'], 'load_order': ['_sdc_batched_at', '_sdc_sequence'], 'deleted_at': none, 'record_column': none},
      'snowflake': {'engines': ['snowflake'], 'load_order': ['_sdc_batched_at', '_sdc_sequence'], 'deleted_at': '_sdc_deleted_at', 'record_column': none},
      'bigquery': {'engines': ['bigquery'], 'load_order': ['_sdc_batched_at', '_sdc_sequence'], 'deleted_at': '_sdc_deleted_at', 'record_column': 'data'},
  } -%}
  {%- set name = var('kustomer_loader') -%}
  {%- if name not in loaders -%}
    {{ exceptions.raise_compiler_error("kustomer: var kustomer_loader is '" ~ name ~ "': use one of " ~ loaders.keys() | list | join(', ') ~ " (docs/dbt.md)") }}
  {%- endif -%}
  {%- if target.type not in loaders[name].engines -%}
    {{ exceptions.raise_compiler_error("kustomer: kustomer_loader " ~ name ~ " loads " ~ loaders[name].engines | join(', ') ~ ", and this profile's target is " ~ target.type) }}
  {%- endif -%}
  {{ return(dict(loaders[name], name=name)) }}
{% endmacro %}


{% macro loaded_column(name) -%}{{ return(adapter.dispatch('loaded_column', 'kustomer')(name)) }}{%- endmacro %}
{% macro default__loaded_column(name) -%}{{ adapter.quote(name) }}{%- endmacro %}
{% macro snowflake__loaded_column(name) -%}{{ adapter.quote(name | upper) }}{%- endmacro %}


{% macro has_column(loaded, name) -%}
  {#- a column of the loaded table; with each record in one JSON column, every field may be there -#}
  {{ return(loaded.loader.record_column is not none or name in loaded.types) }}
{%- endmacro %}


{% macro latest_first(latest_by, loaded) -%}
  {#- the window order that puts the latest row of a key first: the stream's own stamp, then the
      load order the target records -#}
  {%- set terms = [] -%}
  {%- for column in latest_by if kustomer.has_column(loaded, column) -%}
    {%- do terms.append(kustomer.staged_column(column, 'timestamp', loaded) ~ ' desc nulls last') -%}
  {%- endfor -%}
  {%- for column in loaded.loader.load_order if loaded.loader.record_column or column in loaded.types -%}
    {%- do terms.append(kustomer.loaded_column(column) ~ ' desc nulls last') -%}
  {%- endfor -%}
  {{ terms | join(', ') if terms else '(select 1)' }}
{%- endmacro %}


{% macro live_rows(loaded) -%}
  {#- rows a target keeps but marks retired (ACTIVATE_VERSION without hard_delete) are left out -#}
  {%- set deleted_at = loaded.loader.deleted_at -%}
  {%- if deleted_at and (loaded.loader.record_column or deleted_at in loaded.types) -%}
    {{ kustomer.loaded_column(deleted_at) }} is null
  {%- else -%}
    1 = 1
  {%- endif -%}
{%- endmacro %}
