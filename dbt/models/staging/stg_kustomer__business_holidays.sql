{#- One row per holiday of a business schedule (tap stream business_holidays). -#}
{{ kustomer.stage('business_holidays', [
    ['id', 'text', 'holiday_id'],
    ['schedule_id', 'text'],
    ['schedule.id', 'text', 'schedule_relationship_id'],
    ['name', 'text'],
    ['description', 'text'],
    ['enabled', 'boolean', 'is_enabled'],
    ['start_date', 'timestamp', 'starts_at'],
    ['end_date', 'timestamp', 'ends_at'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
