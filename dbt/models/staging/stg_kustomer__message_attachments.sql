{#- One row per attachment of a message, from the latest row of each message. -#}
{{ kustomer.stage_items('messages', ['id', 'text', 'message_id'], 'attachments', [
    ['id', 'text', 'attachment_id'],
    ['name', 'text'],
    ['content_type', 'text'],
    ['content_length', 'integer'],
]) }}
