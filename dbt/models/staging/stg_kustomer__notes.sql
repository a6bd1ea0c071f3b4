{#- One row per note (tap stream notes, optional). -#}
{{ kustomer.stage('notes', [
    ['id', 'text', 'note_id'],
    ['conversation.id', 'text', 'conversation_id'],
    ['customer.id', 'text', 'customer_id'],
    ['created_by.id', 'text', 'created_by_user_id'],
    ['body', 'text'],
    ['user_mentions', 'json_array'],
    ['external_id', 'text'],
    ['rev', 'integer'],
    ['imported_at', 'timestamp'],
    ['deleted', 'boolean', 'is_deleted'],
    ['deleted_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
