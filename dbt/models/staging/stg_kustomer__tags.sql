{#- One row per tag (tap stream tags, optional). -#}
{{ kustomer.stage('tags', [
    ['id', 'text', 'tag_id'],
    ['name', 'text'],
    ['color', 'text'],
    ['rev', 'integer'],
    ['deleted', 'boolean', 'is_deleted'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
