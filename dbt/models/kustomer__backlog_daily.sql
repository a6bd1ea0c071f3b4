{#- One row per UTC date d from the date of the coverage start C (without audit entries: the
    earliest conversation event) to the date of the time of the data: the conversations not deleted
    whose status at the end of d (the instant d + 1 day, or the time of the data if earlier) is open
    / snoozed, counting only conversations created before that instant. The status at an instant is
    the one of the interval that holds it (kustomer__conversation_status_history): a conversation
    done and reopened on d counts as open. Empty when neither audit_logs nor conversation_events
    has rows. -#}
with bounds as (
    select
        {{ kustomer.local_date('backlog_starts_at', "'UTC'") }} as first_date,
        {{ kustomer.local_date('data_at', "'UTC'") }} as last_date,
        data_at
    from {{ ref('int_kustomer__history_coverage') }}
    where has_history
        and backlog_starts_at is not null
        and data_at is not null
),

days as (
    select
        cast({{ dbt.dateadd('day', 'days.n', 'bounds.first_date') }} as date) as date_day,
        bounds.data_at
    from bounds
    cross join {{ kustomer.integer_series('(select ' ~ dbt.datediff('first_date', 'last_date', 'day') ~ ' from bounds)') }} as days
),

day_ends as (
    select
        date_day,
        case when day_end > data_at then data_at else day_end end as ends_at
    from (
        select
            date_day,
            data_at,
            {{ kustomer.local_to_instant(dbt.dateadd('minute', '1440', 'date_day'), "'UTC'") }} as day_end
        from days
    ) as ends
),

statuses as (
    select history.conversation_id, history.status, history.valid_from, history.valid_to, conversations.created_at
    from {{ ref('kustomer__conversation_status_history') }} as history
    inner join {{ ref('stg_kustomer__conversations') }} as conversations
        on history.conversation_id = conversations.conversation_id
    where not coalesce(conversations.is_deleted, false)
        and conversations.deleted_at is null
        and history.status in ('open', 'snoozed')
)

select
    day_ends.date_day,
    sum(case when statuses.status = 'open' then 1 else 0 end) as open_conversations,
    sum(case when statuses.status = 'snoozed' then 1 else 0 end) as snoozed_conversations
from day_ends
left join statuses
    on statuses.valid_from <= day_ends.ends_at
    and (statuses.valid_to is null or statuses.valid_to > day_ends.ends_at)
    and statuses.created_at < day_ends.ends_at
group by day_ends.date_day
