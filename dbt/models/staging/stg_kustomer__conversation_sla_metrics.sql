{#- One row per key of a conversation's sla.metrics (first_response, next_reply, ... as the tap
    snake_cases them): the keys vary by SLA policy and every one is kept, with whatever it carries
    in `details`. From the latest row of each conversation. -#}
with parents as (
{{ kustomer.stage('conversations', [['id', 'text', 'conversation_id'], ['sla.metrics', 'json', 'sla_metrics']]) }}
),

entries as (
{{ kustomer.json_entries('parents', 'sla_metrics') }}
)

select
    conversation_id,
    entry_key as metric,
    {{ kustomer.json_as('timestamp', 'entry_value', ['breach_at']) }} as breach_at,
    {{ kustomer.json_as('timestamp', 'entry_value', ['satisfied_at']) }} as satisfied_at,
    entry_value as details
from entries
where {{ kustomer.is_json_object('entry_value') }}
