{#- One row per change of a conversation's assigned users (changes.attributes.assigned_users with
    before <> after), from the same source as its status transitions (int_kustomer__conversation_changes).
    Two lists are the same when both are empty (an empty array, a JSON null or nothing), or when
    their JSON texts are equal (the same users in the same order). is_first_assignment: before is
    empty and after is not. -#}
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
        {{ kustomer.json_get_text('users_before', [0]) }} is null as is_before_empty,
        {{ kustomer.json_get_text('users_after', [0]) }} is null as is_after_empty,
        {{ kustomer.json_to_text('users_before') }} as users_before_text,
        {{ kustomer.json_to_text('users_after') }} as users_after_text
    from assignments
)

select
    conversation_id,
    change_id,
    changed_at,
    history_source,
    users_before,
    users_after,
    is_before_empty and not is_after_empty as is_first_assignment
from compared
where case
    when is_before_empty and is_after_empty then false
    when is_before_empty or is_after_empty then true
    when users_before_text = users_after_text then false
    else true
end
