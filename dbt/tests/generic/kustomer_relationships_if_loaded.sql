{% test kustomer_relationships_if_loaded(model, column_name, to, field) %}
{#- values that name no row of `to`, once `to` has rows: a stream that is optional and not loaded
    gives an empty model, and then there is nothing to check against -#}
select child.{{ column_name }}
from {{ model }} as child
where child.{{ column_name }} is not null
    and exists (select 1 from {{ to }})
    and not exists (select 1 from {{ to }} as parent where parent.{{ field }} = child.{{ column_name }})
{% endtest %}
