{#- One row per channel of a conversation, from the latest row of each conversation, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('conversations', ['id', 'text', 'conversation_id'], 'channels', [['', 'text', 'channel']]) }}
