{#- One row per version of an SLA policy (tap stream sla_versions, optional); versions are never
    edited, so the latest row of a version is its only one. -#}
{{ kustomer.stage('sla_versions', [
    ['id', 'text', 'sla_version_id'],
    ['sla_id', 'text'],
    ['version', 'integer'],
    ['name', 'text'],
    ['description', 'text'],
    ['hours', 'text', 'schedule_id'],
    ['metrics', 'json'],
    ['criteria', 'json'],
    ['created_at', 'timestamp'],
], latest_by=['created_at']) }}
