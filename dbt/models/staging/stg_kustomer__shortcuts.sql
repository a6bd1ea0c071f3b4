{#- One row per shortcut (saved reply; tap stream shortcuts, optional). -#}
{{ kustomer.stage('shortcuts', [
    ['id', 'text', 'shortcut_id'],
    ['name', 'text'],
    ['is_private', 'boolean'],
    ['draft', 'json'],
    ['payload', 'json'],
    ['rev', 'integer'],
    ['deleted', 'boolean', 'is_deleted'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
