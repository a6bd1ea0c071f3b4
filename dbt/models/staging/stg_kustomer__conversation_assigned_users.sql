{#- One row per user a conversation is assigned to, from the latest row of each conversation, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('conversations', ['id', 'text', 'conversation_id'], 'assigned_users', [['', 'text', 'user_id']]) }}
