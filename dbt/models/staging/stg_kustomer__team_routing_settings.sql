{#- One row per team's routing settings (tap stream team_routing_settings, optional); its id is the team's. -#}
{{ kustomer.stage('team_routing_settings', [
    ['id', 'text', 'team_id'],
    ['enabled', 'boolean', 'is_enabled'],
    ['work_item_capacity', 'integer'],
    ['queues', 'json_array'],
    ['external_queues', 'json_array'],
    ['capacity', 'json'],
    ['deleted', 'boolean', 'is_deleted'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
