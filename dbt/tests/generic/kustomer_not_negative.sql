{% test kustomer_not_negative(model, column_name) %}
{#- a duration that is below zero -#}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0
{% endtest %}
