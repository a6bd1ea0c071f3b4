{% macro activity_measures(activity='activity') -%}
  {#- The measures of the agent and team rollups, over rows of int_kustomer__agent_activity grouped
      by day and by agent or team. Counts are of distinct events, so an event that reaches a team
      through two of its members counts once. -#}
  {%- set of = activity ~ '.activity' -%}
    count(distinct case when {{ of }} = 'reply' then {{ activity }}.event_id end) as replies,
    count(distinct case when {{ of }} = 'first_response' then {{ activity }}.event_id end) as first_responses,
    {{ kustomer.percentile_cont("case when " ~ of ~ " = 'first_response' then " ~ activity ~ ".seconds end", 0.5) }}
        as median_first_response_seconds,
    {{ kustomer.percentile_cont("case when " ~ of ~ " = 'first_response' then " ~ activity ~ ".seconds end", 0.9) }}
        as p90_first_response_seconds,
    {{ kustomer.percentile_cont("case when " ~ of ~ " = 'first_response' then " ~ activity ~ ".business_seconds end", 0.5) }}
        as median_first_response_business_seconds,
    {{ kustomer.percentile_cont("case when " ~ of ~ " = 'first_response' then " ~ activity ~ ".business_seconds end", 0.9) }}
        as p90_first_response_business_seconds,
    count(distinct case when {{ of }} = 'resolution' then {{ activity }}.event_id end) as conversations_resolved,
    {{ kustomer.percentile_cont("case when " ~ of ~ " = 'resolution' then " ~ activity ~ ".business_seconds end", 0.5) }}
        as median_full_resolution_business_seconds,
    count(distinct case when {{ of }} = 'csat' then {{ activity }}.event_id end) as csat_responses,
    avg(case when {{ of }} = 'csat' then cast({{ activity }}.csat_score as {{ kustomer.type_double() }}) end) as csat_score,
    avg(case when {{ of }} = 'csat' then cast({{ activity }}.csat_rating as {{ kustomer.type_double() }}) end) as csat_rating,
    count(distinct case when {{ of }} = 'sla_breach' then {{ activity }}.event_id end) as sla_breaches,
    count(distinct case when {{ of }} = 'work_session' then {{ activity }}.event_id end) as work_sessions,
    coalesce(sum(case when {{ of }} = 'work_session' then {{ activity }}.seconds end), 0) as available_seconds
{%- endmacro %}
