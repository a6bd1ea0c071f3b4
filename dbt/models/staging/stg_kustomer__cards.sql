{#- One row per installed card (tap stream cards, optional); `contexts` where it shows. -#}
{{ kustomer.stage('cards', [
    ['id', 'text', 'card_id'],
    ['name', 'text'],
    ['description', 'text'],
    ['url', 'text'],
    ['app', 'text'],
    ['contexts', 'json_array'],
    ['deleted', 'boolean', 'is_deleted'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
