{#- One row per conversation and status interval: [created_at, t1) with the first transition's
    before, then [ti, ti+1) with ti's after, the last open-ended (valid_to null); a conversation
    without transitions has one interval [created_at, null) with its current status. Transitions
    come from its conversation_events when it has any, else from the audit log
    (int_kustomer__conversation_changes). is_inferred: the first interval of a conversation whose
    history is the audit log's and that was created before the coverage start C (what it did
    before C is not known). calendar_seconds / business_seconds: the interval's overlap with
    [created_at, the time of the data), business on the default schedule (null without one).
    Two transitions at one instant, or one at created_at, give an interval of 0 seconds, kept so
    the sequence is complete. Empty when neither audit_logs nor conversation_events has rows. -#}
with coverage as (
    select * from {{ ref('int_kustomer__history_coverage') }}
),

conversations as (
    select conversations.conversation_id, conversations.created_at, conversations.status
    from {{ ref('stg_kustomer__conversations') }} as conversations
    cross join coverage
    where coverage.has_history
),

transitions as (
    select
        transitions.*,
        lead(transitions.transitioned_at) over (
            partition by transitions.conversation_id order by transitions.transition_number
        ) as next_transitioned_at
    from {{ ref('int_kustomer__status_transitions') }} as transitions
),

sources as (
    select distinct conversation_id
    from {{ ref('int_kustomer__conversation_changes') }}
    where history_source = 'conversation_events'
),

intervals as (
    select
        conversations.conversation_id,
        1 as interval_number,
        case when first_transition.conversation_id is null then conversations.status else first_transition.status_before end
            as status,
        conversations.created_at as valid_from,
        first_transition.transitioned_at as valid_to
    from conversations
    left join transitions as first_transition
        on conversations.conversation_id = first_transition.conversation_id
        and first_transition.transition_number = 1

    union all

    select
        transitions.conversation_id,
        transitions.transition_number + 1,
        transitions.status_after,
        transitions.transitioned_at,
        transitions.next_transitioned_at
    from transitions
    inner join conversations on transitions.conversation_id = conversations.conversation_id
),

measured as (
    {#- the part of the interval inside [created_at, data_at): measured_to is never before measured_from -#}
    select
        intervals.*,
        conversations.created_at,
        case when sources.conversation_id is null then 'audit_logs' else 'conversation_events' end as history_source,
        coverage.coverage_starts_at,
        case when intervals.valid_from < conversations.created_at then conversations.created_at else intervals.valid_from end
            as measured_from,
        case when intervals.valid_to is null or intervals.valid_to > coverage.data_at then coverage.data_at else intervals.valid_to end
            as measured_until
    from intervals
    inner join conversations on intervals.conversation_id = conversations.conversation_id
    left join sources on intervals.conversation_id = sources.conversation_id
    cross join coverage
),

bounded as (
    select
        measured.*,
        case when measured_until > measured_from then measured_until else measured_from end as measured_to
    from measured
),

instants as (
    select distinct moment
    from (
        select measured_from as moment from bounded
        union all
        select measured_to from bounded
    ) as ends
    where moment is not null
),

clock as (
    {{ kustomer.business_clock('instants', ref('int_kustomer__schedule_intervals')) }}
),

schedule as (
    select count(*) as schedules from {{ ref('int_kustomer__default_schedule') }}
)

select
    bounded.conversation_id,
    bounded.interval_number,
    bounded.status,
    bounded.valid_from,
    bounded.valid_to,
    bounded.valid_to is null as is_current,
    bounded.interval_number = 1
        and bounded.history_source = 'audit_logs'
        and coalesce(bounded.created_at < bounded.coverage_starts_at, false) as is_inferred,
    bounded.history_source,
    {{ kustomer.seconds_between('bounded.measured_from', 'bounded.measured_to') }} as calendar_seconds,
    cast(case when schedule.schedules > 0 then ends.open_seconds_before - starts.open_seconds_before end
        as {{ kustomer.type_seconds() }}) as business_seconds
from bounded
cross join schedule
left join clock as starts on bounded.measured_from = starts.moment
left join clock as ends on bounded.measured_to = ends.moment
