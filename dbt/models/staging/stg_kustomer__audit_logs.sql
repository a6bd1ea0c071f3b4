{#- One row per audit-log entry (tap stream audit_logs, optional): changes.attributes.<field>.{before, after}. -#}
{{ kustomer.stage('audit_logs', [
    ['id', 'text', 'audit_log_id'],
    ['event_name', 'text'],
    ['event_verb', 'text'],
    ['object_type', 'text'],
    ['object_id', 'text'],
    ['user_id', 'text'],
    ['user_type', 'text'],
    ['client', 'text'],
    ['changes', 'json'],
    ['created_at', 'timestamp'],
    ['published_at', 'timestamp'],
    ['expires_at', 'timestamp'],
], latest_by=['created_at']) }}
