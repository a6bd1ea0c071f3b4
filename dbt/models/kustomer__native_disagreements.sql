{#- Where our figures and Kustomer's own differ: one row per conversation and metric whose two
    values are more than var kustomer_native_tolerance_seconds apart, or where only one of them
    exists (business figures only when a default schedule exists). The agreement test reports it.
    Time in status (open, snoozed, done) is compared only where Kustomer's total is complete and
    ours knows the whole life: Kustomer adds an interval to total_<status> when the conversation
    leaves that status, so a status's pair counts only while the conversation is in another one,
    and only without inferred history (ours cannot know the changes before the coverage start);
    not at all without a history source (ours null). Kustomer's missing total is 0. -#}
with metrics as (
    select * from {{ ref('kustomer__conversation_metrics') }}
),

pairs as (
    {%- for metric in ['first_response', 'first_resolution', 'full_resolution'] %}
    {%- for kind in ['seconds', 'business_seconds'] %}
    select
        conversation_id,
        '{{ metric }}_{{ kind }}' as metric,
        {{ 'true' if kind == 'business_seconds' else 'false' }} as is_business,
        {{ metric }}_{{ kind }} as ours,
        {{ metric }}_{{ kind }}_native as native
    from metrics
    {{ 'union all' if not (loop.last and metric == 'full_resolution') }}
    {%- endfor %}
    {%- endfor %}
    {%- for status in ['open', 'snoozed', 'done'] %}
    union all
    select
        conversation_id,
        '{{ status }}_seconds' as metric,
        false as is_business,
        {{ status }}_seconds as ours,
        coalesce({{ status }}_seconds_native, 0) as native
    from metrics
    where {{ status }}_seconds is not null
        and not has_inferred_history
        and (status is null or status <> '{{ status }}')
    {%- endfor %}
),

has_schedule as (
    select exists (select 1 from {{ ref('int_kustomer__default_schedule') }}) as value
)

select
    pairs.conversation_id,
    pairs.metric,
    pairs.ours,
    pairs.native,
    pairs.ours - pairs.native as difference_seconds
from pairs
cross join has_schedule
where case
    when pairs.ours is not null and pairs.native is not null
        then abs(pairs.ours - pairs.native) > {{ var('kustomer_native_tolerance_seconds') }}
    else (pairs.ours is null) <> (pairs.native is null) and (has_schedule.value or not pairs.is_business)
end
