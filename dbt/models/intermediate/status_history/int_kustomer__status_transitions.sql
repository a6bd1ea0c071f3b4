{#- One row per status transition: a change whose changes.attributes.status has before <> after
    (nulls count as values: null -> open is a transition, open -> open is not), numbered in each
    conversation by instant, then by the entry's or event's id (two changes in the same millisecond
    keep the order of their ids). -#}
with statuses as (
    select
        conversation_id,
        change_id,
        changed_at,
        history_source,
        {{ kustomer.json_get('changes', ['attributes', 'status']) }} is not null as has_status,
        {{ kustomer.json_get_text('changes', ['attributes', 'status', 'before']) }} as status_before,
        {{ kustomer.json_get_text('changes', ['attributes', 'status', 'after']) }} as status_after
    from {{ ref('int_kustomer__conversation_changes') }}
),

transitions as (
    select *
    from statuses
    where has_status
        and case
            when status_before is null and status_after is null then false
            when status_before = status_after then false
            else true
        end
)

select
    conversation_id,
    change_id as transition_id,
    changed_at as transitioned_at,
    history_source,
    status_before,
    status_after,
    row_number() over (partition by conversation_id order by changed_at, change_id) as transition_number
from transitions
