-- 4. How happy are customers? Survey answers by channel: the share satisfied (score 1) and the rating (1-5).
select
    channel,
    count(csat_score) as answers,
    round(cast(avg(cast(csat_score as {{ kustomer.type_double() }})) as {{ kustomer.type_decimal() }}), 2) as satisfied_share,
    round(cast(avg(cast(csat_rating as {{ kustomer.type_double() }})) as {{ kustomer.type_decimal() }}), 2) as average_rating
from {{ ref('kustomer__conversation_metrics') }}
where not is_deleted
group by channel
order by answers desc
