{#- One row per routing work item: a conversation waiting for, offered to, or handled by an agent
    (tap stream work_items, optional). -#}
{{ kustomer.stage('work_items', [
    ['id', 'text', 'work_item_id'],
    ['resource.id', 'text', 'conversation_id'],
    ['queue.id', 'text', 'queue_id'],
    ['user.id', 'text', 'user_id'],
    ['team.id', 'text', 'team_id'],
    ['accepted_by.id', 'text', 'accepted_by_user_id'],
    ['status', 'text'],
    ['queued_count', 'integer'],
    ['priority', 'number'],
    ['paused', 'boolean', 'is_paused'],
    ['channel', 'text'],
    ['queued_at', 'timestamp'],
    ['routed_at', 'timestamp'],
    ['accepted_at', 'timestamp'],
    ['completed_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
