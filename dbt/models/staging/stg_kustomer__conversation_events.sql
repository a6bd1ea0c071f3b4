{#- One row per event of a conversation (tap stream conversation_events, optional: GET
    /v1/conversations/{id}/events, all of a conversation's life): changes.attributes.<field>.{before,
    after} as in the audit log. The event's own instant is updated_at (published_at follows it by a
    few seconds); its created_at is the CONVERSATION's, kept as conversation_created_at. -#}
{{ kustomer.stage('conversation_events', [
    ['id', 'text', 'conversation_event_id'],
    ['conversation_id', 'text'],
    ['name', 'text', 'event_name'],
    ['event_type', 'text'],
    ['type', 'text', 'record_type'],
    ['changes', 'json'],
    ['created_by.id', 'text', 'created_by_user_id'],
    ['created_by.type', 'text', 'created_by_type'],
    ['modified_by.id', 'text', 'modified_by_user_id'],
    ['customer.id', 'text', 'customer_id'],
    ['org.id', 'text', 'org_id'],
    ['links', 'json'],
    ['location', 'json'],
    ['meta', 'json'],
    ['created_at', 'timestamp', 'conversation_created_at'],
    ['updated_at', 'timestamp'],
    ['published_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['conversation_updated_at', 'timestamp'],
], latest_by=['conversation_updated_at']) }}
