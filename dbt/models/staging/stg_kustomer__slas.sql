{#- One row per SLA policy (tap stream slas, optional). -#}
{{ kustomer.stage('slas', [
    ['id', 'text', 'sla_id'],
    ['current_version', 'integer'],
    ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
]) }}
