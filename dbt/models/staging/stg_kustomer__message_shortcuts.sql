{#- One row per shortcut (saved reply) a message used, from the latest row of each message, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('messages', ['id', 'text', 'message_id'], 'shortcuts', [['', 'text', 'shortcut_id']]) }}
