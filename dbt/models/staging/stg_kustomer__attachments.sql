{#- One row per attachment of a conversation's messages (tap stream attachments, optional). -#}
{{ kustomer.stage('attachments', [
    ['id', 'text', 'attachment_id'],
    ['conversation_id', 'text'],
    ['message.id', 'text', 'message_id'],
    ['name', 'text'],
    ['content_type', 'text'],
    ['content_length', 'integer', 'content_length_bytes'],
    ['redacted', 'boolean', 'is_redacted'],
    ['conversation_updated_at', 'timestamp'],
], latest_by=['conversation_updated_at']) }}
