{#- One row per UTC date d from the date of the coverage start C (without audit entries: the
    earliest conversation event) to the date of the time of the data: the conversations not deleted
    whose status at the end of d (the instant d + 1 day, or the time of the data if earlier) is open
    / snoozed, counting only conversations created before that instant. The status at an instant is
    that of the interval holding it (kustomer__conversation_status_history): a conversation done and
    reopened on d counts as open. Empty when neither audit_logs nor conversation_events has rows.
    One ordered pass, not a range join of intervals and days: each interval adds 1 where it starts
    to count and takes it back where it ends, each day's end reads the running sums. At one instant,
    what ends goes first, then the day's end reads, then what starts only after that instant (a
    conversation created at that very instant is not yet counted). -#}
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
    {#- the instants an interval holds that count: from valid_from (included) or from just after
        created_at, whichever is later, to valid_to (excluded) -#}
    select
        history.status,
        case when history.valid_from > conversations.created_at then history.valid_from else conversations.created_at end
            as counts_from,
        case when history.valid_from > conversations.created_at then 0 else 2 end as from_rank,
        history.valid_to
    from {{ ref('kustomer__conversation_status_history') }} as history
    inner join {{ ref('stg_kustomer__conversations') }} as conversations
        on history.conversation_id = conversations.conversation_id
    where not coalesce(conversations.is_deleted, false)
        and conversations.deleted_at is null
        and history.status in ('open', 'snoozed')
),

steps as (
    select
        counts_from as moment,
        from_rank as tie_rank,
        cast(null as date) as date_day,
        case when status = 'open' then 1 else 0 end as open_step,
        case when status = 'snoozed' then 1 else 0 end as snoozed_step
    from statuses
    where valid_to is null or valid_to > counts_from
    union all
    select valid_to, 0, cast(null as date),
        case when status = 'open' then -1 else 0 end,
        case when status = 'snoozed' then -1 else 0 end
    from statuses
    where valid_to > counts_from
    union all
    select ends_at, 1, date_day, 0, 0 from day_ends
),

running as (
    select
        date_day,
        sum(sum(open_step)) over (order by moment, tie_rank rows between unbounded preceding and current row) as open_conversations,
        sum(sum(snoozed_step)) over (order by moment, tie_rank rows between unbounded preceding and current row) as snoozed_conversations
    from steps
    group by moment, tie_rank, date_day
)

select
    date_day,
    cast(open_conversations as {{ dbt.type_bigint() }}) as open_conversations,
    cast(snoozed_conversations as {{ dbt.type_bigint() }}) as snoozed_conversations
from running
where date_day is not null
