{#- One row per routing status an agent can be in (tap stream routing_statuses, optional). -#}
{{ kustomer.stage('routing_statuses', [
    ['id', 'text', 'routing_status_id'],
    ['name', 'text'],
    ['description', 'text'],
    ['status_type', 'text'],
    ['enabled', 'boolean', 'is_enabled'],
    ['routable', 'boolean', 'is_routable'],
    ['selectable', 'boolean', 'is_selectable'],
    ['system', 'boolean', 'is_system'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
