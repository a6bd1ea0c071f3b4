{#- One row per tag on a conversation, from the latest row of each conversation, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('conversations', ['id', 'text', 'conversation_id'], 'tags', [['', 'text', 'tag_id']]) }}
