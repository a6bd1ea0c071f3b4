{#-
  Staging is data: each stg_kustomer__<stream> model lists its columns as [path, kind, alias] and
  stage() renders the select. A path is a loaded field or a dotted path into a nested one
  (first_done.created_at); kind says what the value becomes, in every engine's own types:

    text, integer (bigint), number (exact decimal), boolean, timestamp (an instant, UTC),
    json (a nested value), json_array (a JSON array)

  stage() keeps the latest row of each key (the targets upsert or append; either way one row per
  key comes out), leaves out rows the target retired, and types a field the table lacks (deselected
  in the catalog) as null. A table that is not loaded gives an empty model of the same columns, so
  optional streams can be absent. Bridge tables (one row per element of an array) stage the columns
  they need from the same table with stage(), then unnest them (macros/engines/json.sql).
-#}

{% macro stage(stream, columns, key=['id'], latest_by=['updated_at']) %}
{%- set loaded = kustomer.loaded_table(stream) -%}
{%- if loaded %}
{%- set batches = kustomer.json_batches(columns, loaded) %}
with parsed as (
    select *
{%- for root, batch in batches.items() %},
        {{ batch.texts }} as {{ batch.alias }}
{%- endfor %}
    from {{ loaded.relation }}
    where {{ kustomer.live_rows(loaded) }}
),

loaded as (
    select
{%- for column in columns %}
        {{ kustomer.staged_column(column[0], column[1], loaded, batches) }} as {{ kustomer.column_alias(column) }},
{%- endfor %}
        row_number() over (
            partition by {% for k in key %}{{ kustomer.staged_column(k, 'text', loaded) }}{{ ", " if not loop.last }}{% endfor %}
            order by {{ kustomer.latest_first(latest_by, loaded) }}
        ) as kustomer_row_number
    from parsed
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
from (select 1 as one) as nothing
where 1 = 0
{%- endif %}
{% endmacro %}


{% macro loaded_table(stream) %}
  {#- {relation, types: {column: data type}, loader} of the table the target loaded for stream, or
      none when it is absent (an error for the four streams the metrics need, or with using_<stream>
      true) or using_<stream> is false. Always calls source(), so the lineage shows every stream.
      With var kustomer_loaded_columns ({stream: {column: type}}, e.g. from the tap's catalog:
      scripts/compile-warehouses), the columns come from it and the warehouse is not asked. -#}
  {%- set declared = source('kustomer', stream) -%}
  {%- set using = var('using_' ~ stream, 'required') -%}
  {%- if not execute or using is false -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set offline = var('kustomer_loaded_columns', none) -%}
  {%- if offline is not none -%}
    {%- set relation = declared if stream in offline else none -%}
  {%- else -%}
    {%- set relation = adapter.get_relation(database=declared.database, schema=declared.schema, identifier=declared.identifier) -%}
  {%- endif -%}
  {%- if relation is none -%}
    {%- if using == 'required' or using is true -%}
      {{ exceptions.raise_compiler_error("kustomer: no table " ~ declared ~ ": load the tap's " ~ stream ~ " stream into var kustomer_schema ('" ~ var('kustomer_schema') ~ "')") }}
    {%- endif -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set types = {} -%}
  {%- if offline is not none -%}
    {%- for name, data_type in offline[stream].items() -%}
      {%- do types.update({name | lower: data_type | lower}) -%}
    {%- endfor -%}
  {%- else -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
      {%- do types.update({column.name | lower: column.data_type | lower}) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return({'relation': relation, 'types': types, 'loader': kustomer.loader()}) }}
{% endmacro %}


{% macro json_batches(columns, loaded) -%}
  {#- {root column: {texts, alias, paths}}: the nested paths read as text from each root at once, on
      engines where that is faster (json_get_texts); {} elsewhere -#}
  {%- set roots = {} -%}
  {%- for column in columns if column[1] not in ('json', 'json_array') and '.' in column[0] -%}
    {%- set parts = column[0].split('.') -%}
    {%- if not loaded.loader.record_column and parts[0] in loaded.types -%}
      {%- do roots.setdefault(parts[0], []).append(parts[1:]) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set batches = {} -%}
  {%- for root, paths in roots.items() -%}
    {%- set texts = kustomer.json_get_texts(kustomer.loaded_column(root), paths) -%}
    {%- if texts -%}
      {%- do batches.update({root: {'texts': texts, 'alias': 'kustomer_texts_' ~ loop.index, 'paths': paths}}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(batches) }}
{%- endmacro %}


{% macro staged_column(path, kind, loaded, batches={}) -%}
  {%- set parts = path.split('.') -%}
  {%- set record = loaded.loader.record_column -%}
  {%- set batch = batches.get(parts[0]) -%}
  {%- if record -%}
    {{ kustomer.json_as(kind, kustomer.loaded_column(record), parts) }}
  {%- elif parts[0] not in loaded.types -%}
    cast(null as {{ kustomer.sql_type(kind) }})
  {%- elif parts | length > 1 and batch and parts[1:] in batch.paths -%}
    {{ kustomer.json_as(kind, none, parts[1:], kustomer.json_texts_item(batch.alias, batch.paths.index(parts[1:]) + 1)) }}
  {%- elif parts | length > 1 -%}
    {{ kustomer.json_as(kind, kustomer.loaded_column(parts[0]), parts[1:]) }}
  {%- else -%}
    {{ kustomer.column_as(kind, kustomer.loaded_column(parts[0]), loaded.types[parts[0]]) }}
  {%- endif -%}
{%- endmacro %}


{% macro json_as(kind, json, keys, text=none) -%}
  {#- the value at keys of a nested column, as kind (text: that value as text, when already read) -#}
  {%- set text = text or kustomer.json_get_text(json, keys) -%}
  {%- if kind == 'text' -%} {{ text }}
  {%- elif kind == 'integer' -%} {{ kustomer.integer_from_text(text) }}
  {%- elif kind == 'number' -%} cast({{ text }} as {{ kustomer.type_decimal() }})
  {%- elif kind == 'boolean' -%} cast({{ text }} as {{ dbt.type_boolean() }})
  {%- elif kind == 'timestamp' -%} {{ kustomer.instant_from_text(text) }}
  {%- elif kind in ('json', 'json_array') -%} {{ kustomer.json_get(json, keys) }}
  {%- else -%} {{ exceptions.raise_compiler_error("kustomer: unknown column kind " ~ kind) }}
  {%- endif -%}
{%- endmacro %}


{% macro column_as(kind, column, data_type) -%}
  {#- a loaded column, as kind -#}
  {%- if kind in ('json', 'json_array') -%} {{ kustomer.to_json(column) }}
  {%- elif kind == 'timestamp' -%} {{ kustomer.loaded_instant(column, data_type) }}
  {%- else -%} cast({{ column }} as {{ kustomer.sql_type(kind) }})
  {%- endif -%}
{%- endmacro %}


{% macro sql_type(kind) -%}
  {%- if kind == 'text' -%} {{ dbt.type_string() }}
  {%- elif kind == 'integer' -%} {{ dbt.type_bigint() }}
  {%- elif kind == 'number' -%} {{ kustomer.type_decimal() }}
  {%- elif kind == 'boolean' -%} {{ dbt.type_boolean() }}
  {%- elif kind == 'timestamp' -%} {{ kustomer.type_instant() }}
  {%- elif kind in ('json', 'json_array') -%} {{ kustomer.type_json() }}
  {%- else -%} {{ exceptions.raise_compiler_error("kustomer: unknown column kind " ~ kind) }}
  {%- endif -%}
{%- endmacro %}


{% macro column_alias(column) -%}
  {{ column[2] if column | length > 2 else column[0] | replace('.', '_') }}
{%- endmacro %}


{% macro stage_items(stream, parent, array, item_columns, latest_by=['updated_at']) %}
{#- One row per element of the JSON array `array` of each latest row of `stream`: the parent's key
    ([path, kind, alias], as in stage()), the element's columns ([path in the element, or '' for the
    element itself, kind, alias]) and its position in the array, from 1. -#}
with parents as (
{{ kustomer.stage(stream, [parent, [array, 'json_array', 'kustomer_items']], latest_by=latest_by) }}
),

items as (
{{ kustomer.json_items('parents', 'kustomer_items') }}
)

select
    {{ kustomer.column_alias(parent) }},
{%- for column in item_columns %}
    {{ kustomer.json_as(column[1], 'item_value', column[0].split('.') if column[0] else []) }} as {{ kustomer.column_alias(column) }},
{%- endfor %}
    item_position as position
from items
{% endmacro %}
