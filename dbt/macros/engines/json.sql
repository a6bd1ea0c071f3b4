{#-
  JSON, per engine. The package keeps nested values (objects, arrays) in each engine's JSON type and
  reads them only through these macros:

    type_json()                      the type
    to_json(expression)              a loaded nested column as that type (PostgreSQL: arrays too)
    json_get(json, keys)             the value at a path of keys (strings) and indexes (integers)
    json_get_text(json, keys)        the same as text (null for a JSON null)
    json_to_text(json)               a whole JSON value (an array, an object) as its JSON text, to
                                     compare two values (BigQuery's JSON type has no `=`)
    json_get_texts(json, key_lists)  several paths as text at once, where that is faster (DuckDB keeps
                                     JSON as text and parses it once per call): a list expression
                                     (item n by json_texts_item), or none to read each path alone
    is_json_array / is_json_object   what a value is
    json_items(parents, column)      the rows of relation `parents`, once per element of its JSON
                                     array `column`: parents' columns + item_value, item_position (from 1)
    json_entries(parents, column)    likewise per key of its JSON object: + entry_key, entry_value

  default__ is the SQL standard's JSON_VALUE / JSON_QUERY where one exists.
-#}

{% macro type_json() -%}{{ return(adapter.dispatch('type_json', 'kustomer')()) }}{%- endmacro %}
{% macro default__type_json() -%}json{%- endmacro %}
{% macro postgres__type_json() -%}jsonb{%- endmacro %}
{% macro snowflake__type_json() -%}variant{%- endmacro %}


{% macro to_json(expression) -%}{{ return(adapter.dispatch('to_json', 'kustomer')(expression)) }}{%- endmacro %}
{% macro default__to_json(expression) -%}cast({{ expression }} as {{ kustomer.type_json() }}){%- endmacro %}
{% macro postgres__to_json(expression) -%}to_jsonb({{ expression }}){%- endmacro %}
{% macro snowflake__to_json(expression) -%}to_variant({{ expression }}){%- endmacro %}
{% macro bigquery__to_json(expression) -%}to_json({{ expression }}){%- endmacro %}


{% macro json_path(keys) -%}
  {#- $.a.b[0] (SQL/JSON path) of a list of keys and indexes; a key that is not a plain name is
      quoted ($."0") -#}
  {%- set path = ['$'] -%}
  {%- for key in keys -%}
    {%- if key is number -%}
      {%- do path.append('[' ~ key ~ ']') -%}
    {%- elif modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', key) -%}
      {%- do path.append('.' ~ key) -%}
    {%- else -%}
      {%- do path.append('."' ~ key ~ '"') -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(path | join('')) }}
{%- endmacro %}


{% macro json_get(json, keys) -%}{{ return(adapter.dispatch('json_get', 'kustomer')(json, keys)) }}{%- endmacro %}
{% macro default__json_get(json, keys) -%}json_query({{ json }}, '{{ kustomer.json_path(keys) }}'){%- endmacro %}
{% macro postgres__json_get(json, keys) -%}({{ json }} #> '{ {{- keys | join(',') -}} }'){%- endmacro %}
{% macro duckdb__json_get(json, keys) -%}json_extract({{ json }}, '{{ kustomer.json_path(keys) }}'){%- endmacro %}
{% macro snowflake__json_get(json, keys) -%}
  {#- one GET per key or index -#}
  {%- set got = namespace(value=json) -%}
  {%- for key in keys -%}
    {%- set got.value = 'get(' ~ got.value ~ ', ' ~ (key if key is number else "'" ~ key ~ "'") ~ ')' -%}
  {%- endfor -%}
  {{ got.value }}
{%- endmacro %}


{% macro json_get_text(json, keys) -%}{{ return(adapter.dispatch('json_get_text', 'kustomer')(json, keys)) }}{%- endmacro %}
{% macro default__json_get_text(json, keys) -%}json_value({{ json }}, '{{ kustomer.json_path(keys) }}'){%- endmacro %}
{% macro postgres__json_get_text(json, keys) -%}({{ json }} #>> '{ {{- keys | join(',') -}} }'){%- endmacro %}
{% macro duckdb__json_get_text(json, keys) -%}json_extract_string({{ json }}, '{{ kustomer.json_path(keys) }}'){%- endmacro %}
{% macro snowflake__json_get_text(json, keys) -%}cast(strip_null_value({{ kustomer.json_get(json, keys) }}) as varchar){%- endmacro %}


{% macro json_to_text(json) -%}{{ return(adapter.dispatch('json_to_text', 'kustomer')(json)) }}{%- endmacro %}
{% macro default__json_to_text(json) -%}json_serialize({{ json }}){%- endmacro %}
{% macro postgres__json_to_text(json) -%}cast({{ json }} as text){%- endmacro %}
{% macro duckdb__json_to_text(json) -%}cast({{ json }} as varchar){%- endmacro %}
{% macro snowflake__json_to_text(json) -%}to_json({{ json }}){%- endmacro %}
{% macro bigquery__json_to_text(json) -%}to_json_string({{ json }}){%- endmacro %}


{% macro json_get_texts(json, key_lists) -%}{{ return(adapter.dispatch('json_get_texts', 'kustomer')(json, key_lists)) }}{%- endmacro %}
{% macro default__json_get_texts(json, key_lists) -%}{{ return(none) }}{%- endmacro %}
{% macro duckdb__json_get_texts(json, key_lists) -%}
  {%- set paths = [] -%}
  {%- for keys in key_lists -%}{%- do paths.append("'" ~ kustomer.json_path(keys) ~ "'") -%}{%- endfor -%}
  {{ return('json_extract_string(' ~ json ~ ', [' ~ paths | join(', ') ~ '])') }}
{%- endmacro %}

{% macro json_texts_item(texts, number) -%}{{ return(adapter.dispatch('json_texts_item', 'kustomer')(texts, number)) }}{%- endmacro %}
{% macro default__json_texts_item(texts, number) -%}{{ texts }}[{{ number }}]{%- endmacro %}


{% macro is_json_array(json) -%}{{ return(adapter.dispatch('is_json_array', 'kustomer')(json)) }}{%- endmacro %}
{% macro default__is_json_array(json) -%}({{ json }} is json array){%- endmacro %}
{% macro postgres__is_json_array(json) -%}(jsonb_typeof({{ json }}) = 'array'){%- endmacro %}
{% macro duckdb__is_json_array(json) -%}(json_type({{ json }}) = 'ARRAY'){%- endmacro %}
{% macro snowflake__is_json_array(json) -%}is_array({{ json }}){%- endmacro %}
{% macro bigquery__is_json_array(json) -%}(json_type({{ json }}) = 'array'){%- endmacro %}


{% macro is_json_object(json) -%}{{ return(adapter.dispatch('is_json_object', 'kustomer')(json)) }}{%- endmacro %}
{% macro default__is_json_object(json) -%}({{ json }} is json object){%- endmacro %}
{% macro postgres__is_json_object(json) -%}(jsonb_typeof({{ json }}) = 'object'){%- endmacro %}
{% macro duckdb__is_json_object(json) -%}(json_type({{ json }}) = 'OBJECT'){%- endmacro %}
{% macro snowflake__is_json_object(json) -%}is_object({{ json }}){%- endmacro %}
{% macro bigquery__is_json_object(json) -%}(json_type({{ json }}) = 'object'){%- endmacro %}


{% macro json_items(parents, column) -%}{{ return(adapter.dispatch('json_items', 'kustomer')(parents, column)) }}{%- endmacro %}
{% macro default__json_items(parents, column) -%}
select parents.*, item.item_value, item.item_position
from {{ parents }} as parents
cross join lateral json_table(parents.{{ column }}, '$[*]' columns (
    item_value {{ kustomer.type_json() }} path '$', item_position for ordinality)) as item
where {{ kustomer.is_json_array('parents.' ~ column) }}
{%- endmacro %}
{% macro postgres__json_items(parents, column) -%}
select parents.*, item.item_value, item.item_position
from {{ parents }} as parents
cross join lateral jsonb_array_elements(
    case when {{ kustomer.is_json_array('parents.' ~ column) }} then parents.{{ column }} else '[]'::jsonb end
) with ordinality as item(item_value, item_position)
{%- endmacro %}
{% macro duckdb__json_items(parents, column) -%}
select parents.*, item.value as item_value, cast(item.key as bigint) + 1 as item_position
from {{ parents }} as parents
cross join json_each(parents.{{ column }}) as item
where {{ kustomer.is_json_array('parents.' ~ column) }}
{%- endmacro %}
{% macro snowflake__json_items(parents, column) -%}
select parents.*, item.value as item_value, item.index + 1 as item_position
from {{ parents }} as parents,
    lateral flatten(input => case when {{ kustomer.is_json_array('parents.' ~ column) }} then parents.{{ column }} end) as item
{%- endmacro %}
{% macro bigquery__json_items(parents, column) -%}
select parents.*, item_value, item_offset + 1 as item_position
from {{ parents }} as parents
cross join unnest(json_query_array(parents.{{ column }})) as item_value with offset as item_offset
{%- endmacro %}


{% macro json_entries(parents, column) -%}{{ return(adapter.dispatch('json_entries', 'kustomer')(parents, column)) }}{%- endmacro %}
{% macro default__json_entries(parents, column) -%}
  {{ exceptions.raise_compiler_error("kustomer: json_entries has no variant for " ~ target.type) }}
{%- endmacro %}
{% macro postgres__json_entries(parents, column) -%}
select parents.*, entry.entry_key, entry.entry_value
from {{ parents }} as parents
cross join lateral jsonb_each(
    case when {{ kustomer.is_json_object('parents.' ~ column) }} then parents.{{ column }} else '{}'::jsonb end
) as entry(entry_key, entry_value)
{%- endmacro %}
{% macro duckdb__json_entries(parents, column) -%}
select parents.*, entry.key as entry_key, entry.value as entry_value
from {{ parents }} as parents
cross join json_each(parents.{{ column }}) as entry
where {{ kustomer.is_json_object('parents.' ~ column) }}
{%- endmacro %}
{% macro snowflake__json_entries(parents, column) -%}
select parents.*, entry.key as entry_key, entry.value as entry_value
from {{ parents }} as parents,
    lateral flatten(input => case when {{ kustomer.is_json_object('parents.' ~ column) }} then parents.{{ column }} end) as entry
{%- endmacro %}
{% macro bigquery__json_entries(parents, column) -%}
select parents.*, entry_key, parents.{{ column }}[entry_key] as entry_value
from {{ parents }} as parents
cross join unnest(json_keys(parents.{{ column }}, 1)) as entry_key
where {{ kustomer.is_json_object('parents.' ~ column) }}
{%- endmacro %}
