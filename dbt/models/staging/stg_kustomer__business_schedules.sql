{#- One row per business schedule (tap stream business_schedules): hours per weekday ("0" is
    Sunday), each null (closed) or a list of [start, end] minutes after local midnight. -#}
{{ kustomer.stage('business_schedules', [
    ['id', 'text', 'schedule_id'],
    ['name', 'text'],
    ['timezone', 'text'],
    ['hours', 'json'],
    ['default', 'boolean', 'is_default'],
    ['deleted', 'boolean', 'is_deleted'],
    ['deleted_at', 'timestamp'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
