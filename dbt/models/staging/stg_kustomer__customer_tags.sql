{#- One row per tag on a customer, from the latest row of each customer, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('customers', ['id', 'text', 'customer_id'], 'tags', [['', 'text', 'tag_id']]) }}
