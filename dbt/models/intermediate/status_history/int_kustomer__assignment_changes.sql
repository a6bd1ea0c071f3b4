{#- One row per change of a conversation's assigned users (changes.attributes.assigned_users with
    before <> after, compared as JSON; a JSON null is a null), from the same source as its status
    transitions (int_kustomer__conversation_changes). is_first_assignment: before is empty or null
    and after is not empty. -#}
with assignments as (
    select
        conversation_id,
        change_id,
        changed_at,
        history_source,
        {{ kustomer.json_get('changes', ['attributes', 'assigned_users', 'before']) }} as users_before,
        {{ kustomer.json_get('changes', ['attributes', 'assigned_users', 'after']) }} as users_after
    from {{ ref('int_kustomer__conversation_changes') }}
    where {{ kustomer.json_get('changes', ['attributes', 'assigned_users']) }} is not null
),

compared as (
    select
        assignments.*,
        nullif({{ kustomer.json_to_text('users_before') }}, 'null') as users_before_text,
        nullif({{ kustomer.json_to_text('users_after') }}, 'null') as users_after_text
    from assignments
)

select
    conversation_id,
    change_id,
    changed_at,
    history_source,
    users_before,
    users_after,
    {{ kustomer.json_get_text('users_before', [0]) }} is null
        and {{ kustomer.json_get_text('users_after', [0]) }} is not null as is_first_assignment
from compared
where case
    when users_before_text is null and users_after_text is null then false
    when users_before_text = users_after_text then false
    else true
end
