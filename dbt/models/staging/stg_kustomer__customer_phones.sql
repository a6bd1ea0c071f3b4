{#- One row per phone number of a customer, from the latest row of each customer. -#}
{{ kustomer.stage_items('customers', ['id', 'text', 'customer_id'], 'phones', [
    ['phone', 'text'],
    ['type', 'text', 'phone_type'],
    ['verified', 'boolean', 'is_verified'],
]) }}
