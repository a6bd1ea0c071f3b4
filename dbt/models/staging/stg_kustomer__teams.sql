{#- One row per team (tap stream teams, optional). -#}
{{ kustomer.stage('teams', [
    ['id', 'text', 'team_id'],
    ['name', 'text'],
    ['display_name', 'text'],
    ['icon', 'text'],
    ['external_id', 'text'],
    ['members', 'json_array', 'member_user_ids'],
    ['role_groups', 'json_array', 'role_group_ids'],
    ['rev', 'integer'],
    ['imported_at', 'timestamp'],
    ['deleted', 'boolean', 'is_deleted'],
    ['deleted_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
