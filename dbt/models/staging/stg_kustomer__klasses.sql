{#- One row per custom object type, any status (tap stream klasses, optional). -#}
{{ kustomer.stage('klasses', [
    ['id', 'text', 'klass_id'],
    ['name', 'text'],
    ['display_name', 'text'],
    ['status', 'text'],
    ['icon', 'text'],
    ['color', 'text'],
    ['app_version', 'text'],
    ['app_disabled', 'boolean', 'is_app_disabled'],
    ['mixins', 'json_array'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
