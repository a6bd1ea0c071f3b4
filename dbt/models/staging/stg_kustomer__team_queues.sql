{#- One row per queue a team's routing settings route from, from the latest row of each team's settings. -#}
{{ kustomer.stage_items('team_routing_settings', ['id', 'text', 'team_id'], 'queues', [['id', 'text', 'queue_id']]) }}
