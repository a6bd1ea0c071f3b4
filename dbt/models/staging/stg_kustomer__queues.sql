{#- One row per routing queue (tap stream queues, optional). -#}
{{ kustomer.stage('queues', [
    ['id', 'text', 'queue_id'],
    ['name', 'text'],
    ['display_name', 'text'],
    ['key', 'text', 'queue_key'],
    ['description', 'text'],
    ['priority', 'integer'],
    ['item_size', 'integer'],
    ['system', 'boolean', 'is_system'],
    ['settings', 'json'],
    ['deleted', 'boolean', 'is_deleted'],
    ['deleted_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
