{#- One row per user: agents and API keys (tap stream users, optional). -#}
{{ kustomer.stage('users', [
    ['id', 'text', 'user_id'],
    ['name', 'text'],
    ['display_name', 'text'],
    ['email', 'text'],
    ['user_type', 'text'],
    ['mobile', 'text'],
    ['roles', 'json_array'],
    ['role_groups', 'json_array', 'role_group_ids'],
    ['rev', 'integer'],
    ['email_verified_at', 'timestamp'],
    ['deleted_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
