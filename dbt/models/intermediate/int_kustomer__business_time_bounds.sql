{#- The first and last instants business time is measured between: the schedule's calendar is
    generated for the local dates from the one before the first to the one after the last. -#}
with instants as (
    select created_at as at from {{ ref('stg_kustomer__conversations') }}
    union all
    select first_done_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select last_done_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select updated_at from {{ ref('stg_kustomer__conversations') }}
    union all
    select message_at from {{ ref('int_kustomer__messages') }}
)

select
    min(at) as starts_at,
    max(at) as ends_at
from instants
