{#- One row per satisfaction survey form (tap stream satisfaction_surveys, optional). -#}
{{ kustomer.stage('satisfaction_surveys', [
    ['id', 'text', 'survey_id'],
    ['name', 'text'],
    ['form_type', 'text'],
    ['channel', 'text'],
    ['enabled', 'boolean', 'is_enabled'],
    ['delay_time', 'number', 'delay_seconds'],
    ['scale.options', 'integer', 'scale_options'],
    ['follow_up_type', 'text'],
    ['questions', 'json_array'],
    ['criteria', 'json'],
    ['created_at', 'timestamp'],
    ['modified_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
