{#- One row per custom attribute definition of a resource (tap stream custom_attributes, optional):
    `field` is the column the tap gives it inside `custom`. -#}
{{ kustomer.stage('custom_attributes', [
    ['resource', 'text'],
    ['name', 'text', 'attribute_name'],
    ['field', 'text', 'custom_field'],
    ['type', 'text', 'attribute_type'],
    ['display_name', 'text'],
    ['enumeration', 'json_array', 'allowed_values'],
    ['multi', 'boolean', 'is_multi'],
    ['target', 'text'],
    ['updated_at', 'timestamp'],
], key=['resource', 'name']) }}
