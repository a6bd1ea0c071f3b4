{#- One row per email address of a customer, from the latest row of each customer. -#}
{{ kustomer.stage_items('customers', ['id', 'text', 'customer_id'], 'emails', [
    ['email', 'text'],
    ['type', 'text', 'email_type'],
    ['verified', 'boolean', 'is_verified'],
]) }}
