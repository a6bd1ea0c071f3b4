{% macro activity_measures(activity='activity') -%}
  {#- The measures of the agent and team rollups, over rows of int_kustomer__agent_activity grouped
      by day and by agent or team. Counts are of distinct events, so an event that reaches a team
      through two of its members counts once. -#}
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'reply') as replies,
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'first_response') as first_responses,
    percentile_cont(0.5) within group (order by {{ activity }}.seconds)
        filter (where {{ activity }}.activity = 'first_response') as median_first_response_seconds,
    percentile_cont(0.9) within group (order by {{ activity }}.seconds)
        filter (where {{ activity }}.activity = 'first_response') as p90_first_response_seconds,
    percentile_cont(0.5) within group (order by {{ activity }}.business_seconds)
        filter (where {{ activity }}.activity = 'first_response') as median_first_response_business_seconds,
    percentile_cont(0.9) within group (order by {{ activity }}.business_seconds)
        filter (where {{ activity }}.activity = 'first_response') as p90_first_response_business_seconds,
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'resolution') as conversations_resolved,
    percentile_cont(0.5) within group (order by {{ activity }}.business_seconds)
        filter (where {{ activity }}.activity = 'resolution') as median_full_resolution_business_seconds,
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'csat') as csat_responses,
    avg({{ activity }}.csat_score) filter (where {{ activity }}.activity = 'csat') as csat_score,
    avg({{ activity }}.csat_rating) filter (where {{ activity }}.activity = 'csat') as csat_rating,
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'sla_breach') as sla_breaches,
    count(distinct {{ activity }}.event_id) filter (where {{ activity }}.activity = 'work_session') as work_sessions,
    coalesce(sum({{ activity }}.seconds) filter (where {{ activity }}.activity = 'work_session'), 0) as available_seconds
{%- endmacro %}
