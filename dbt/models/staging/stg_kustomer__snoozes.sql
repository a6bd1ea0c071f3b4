{#- One row per snooze option of the org's menu (tap stream snoozes, optional). -#}
{{ kustomer.stage('snoozes', [
    ['id', 'text', 'snooze_id'],
    ['name', 'text'],
    ['enabled', 'boolean', 'is_enabled'],
    ['time.relative', 'number', 'relative_ms'],
    ['time.value', 'text', 'time_value'],
    ['time.day.type', 'text', 'day_rule'],
    ['time.day.value', 'text', 'day_value'],
    ['deleted', 'boolean', 'is_deleted'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
