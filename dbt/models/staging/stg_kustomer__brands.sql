{#- One row per brand (tap stream brands, optional). -#}
{{ kustomer.stage('brands', [
    ['id', 'text', 'brand_id'],
    ['name', 'text'],
    ['default', 'boolean', 'is_default'],
    ['icon_url', 'text'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
