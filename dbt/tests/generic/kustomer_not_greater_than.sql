{% test kustomer_not_greater_than(model, column_name, other) %}
{#- rows where column_name exceeds `other` (business time longer than calendar time) -#}
select {{ column_name }}, {{ other }}
from {{ model }}
where {{ column_name }} > {{ other }}
{% endtest %}
