{#- One row per role group (tap stream role_groups, optional). -#}
{{ kustomer.stage('role_groups', [
    ['id', 'text', 'role_group_id'],
    ['name', 'text'],
    ['description', 'text'],
    ['display', 'boolean', 'is_displayed'],
    ['system', 'boolean', 'is_system'],
    ['roles', 'json_array'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
