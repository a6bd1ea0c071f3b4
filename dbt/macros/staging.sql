{#-
  Staging is data: each stg_kustomer__<stream> model lists its columns as [path, kind, alias] and
  stage() renders the select. A path is a loaded column or a dotted path into a jsonb one
  (first_done.created_at); kind says what the value becomes:

    text, integer (bigint), number (numeric), boolean, timestamp (timestamptz),
    json (jsonb), json_array (a jsonb array), text_array (a jsonb array of strings)

  stage() keeps the latest row of each key (the targets upsert, so this is a safeguard), leaves out
  rows the target retired, and types a column the table lacks (a field deselected in the catalog)
  as null. A table that is not loaded gives an empty model, so optional streams can be absent.
-#}

{% macro stage(stream, columns, key=['id'], latest_by=['updated_at']) %}
{%- set loaded = kustomer.loaded_table(stream) -%}
{%- if loaded %}
with loaded as (
    select
{%- for column in columns %}
        {{ kustomer.staged_column(column[0], column[1], loaded.types) }} as {{ kustomer.column_alias(column) }},
{%- endfor %}
        row_number() over (
            partition by {% for k in key %}{{ adapter.quote(k) }}{{ ", " if not loop.last }}{% endfor %}
            order by {{ kustomer.latest_first(latest_by, loaded.types) }}
        ) as kustomer_row_number
    from {{ loaded.relation }}
    where {{ kustomer.live_rows(loaded.types) }}
)

select
{%- for column in columns %}
    {{ kustomer.column_alias(column) }}{{ "," if not loop.last }}
{%- endfor %}
from loaded
where kustomer_row_number = 1
{%- else %}
-- {{ stream }} is not loaded (or using_{{ stream }} is false): an empty table of the same columns
select
{%- for column in columns %}
    cast(null as {{ kustomer.sql_type(column[1]) }}) as {{ kustomer.column_alias(column) }}{{ "," if not loop.last }}
{%- endfor %}
where false
{%- endif %}
{% endmacro %}


{% macro loaded_table(stream) %}
  {#- {relation, types: {column: data type}} of the table the target loaded for stream, or none
      when it is absent (an error for the four streams the metrics need, or with using_<stream>
      true) or using_<stream> is false. Always calls source(), so the lineage shows every stream. -#}
  {%- set declared = source('kustomer', stream) -%}
  {%- set using = var('using_' ~ stream, 'required') -%}
  {%- if not execute or using is false -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set relation = adapter.get_relation(database=declared.database, schema=declared.schema, identifier=declared.identifier) -%}
  {%- if relation is none -%}
    {%- if using == 'required' or using is true -%}
      {{ exceptions.raise_compiler_error("kustomer: no table " ~ declared ~ ": load the tap's " ~ stream ~ " stream into var kustomer_schema ('" ~ var('kustomer_schema') ~ "')") }}
    {%- endif -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set types = {} -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- do types.update({column.name | lower: column.data_type | lower}) -%}
  {%- endfor -%}
  {{ return({'relation': relation, 'types': types}) }}
{% endmacro %}


{% macro staged_column(path, kind, types) -%}
  {%- set parts = path.split('.') -%}
  {%- set root, keys = parts[0], parts[1:] -%}
  {%- if root not in types -%}
    cast(null as {{ kustomer.sql_type(kind) }})
  {%- elif keys -%}
    {%- set inner = adapter.quote(root) ~ " #> '{" ~ keys | join(',') ~ "}'" -%}
    {%- set text = "(" ~ adapter.quote(root) ~ " #>> '{" ~ keys | join(',') ~ "}')" -%}
    {%- if kind == 'text' -%} {{ text }}
    {%- elif kind == 'integer' -%} {{ text }}::numeric::bigint
    {%- elif kind == 'number' -%} {{ text }}::numeric
    {%- elif kind == 'boolean' -%} {{ text }}::boolean
    {%- elif kind == 'timestamp' -%} {{ text }}::timestamptz
    {%- elif kind in ('json', 'json_array') -%} ({{ inner }})
    {%- elif kind == 'text_array' -%} {{ kustomer.text_array(inner) }}
    {%- else -%} {{ exceptions.raise_compiler_error("kustomer: unknown column kind " ~ kind) }}
    {%- endif -%}
  {%- else -%}
    {%- set column = adapter.quote(root) -%}
    {%- if kind == 'text' -%} {{ column }}::text
    {%- elif kind == 'integer' -%} {{ column }}::bigint
    {%- elif kind == 'number' -%} {{ column }}::numeric
    {%- elif kind == 'boolean' -%} {{ column }}::boolean
    {%- elif kind == 'timestamp' -%} {{ kustomer.utc_timestamp(column, types[root]) }}
    {%- elif kind == 'json' -%} to_jsonb({{ column }})
    {%- elif kind == 'json_array' -%} {{ kustomer.json_array(column) }}
    {%- elif kind == 'text_array' -%} {{ kustomer.text_array(kustomer.json_array(column)) }}
    {%- else -%} {{ exceptions.raise_compiler_error("kustomer: unknown column kind " ~ kind) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}


{% macro text_array(json) -%}
  {#- a jsonb array of the values as text (ids, names), in order; jsonb rather than text[] because
      dbt's unit-test fixtures cannot type a PostgreSQL array column -#}
  (case when jsonb_typeof({{ json }}) = 'array'
        then coalesce(
            (select jsonb_agg(e.value order by e.n) from jsonb_array_elements_text({{ json }}) with ordinality as e(value, n)),
            '[]'::jsonb)
   end)
{%- endmacro %}


{% macro sql_type(kind) -%}
  {{ {'text': 'text', 'integer': 'bigint', 'number': 'numeric', 'boolean': 'boolean', 'timestamp': 'timestamptz',
      'json': 'jsonb', 'json_array': 'jsonb', 'text_array': 'jsonb'}[kind] }}
{%- endmacro %}


{% macro column_alias(column) -%}
  {{ column[2] if column | length > 2 else column[0] | replace('.', '_') }}
{%- endmacro %}
