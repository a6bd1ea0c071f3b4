{{ config(severity=var('kustomer_native_agreement_severity')) }}
{#- Conversations where a figure of ours and Kustomer's own differ by more than
    var kustomer_native_tolerance_seconds (or only one exists): see kustomer__native_disagreements
    for which, by how much, and DECISIONLOG.md for the known reasons. A warning by default. -#}
select *
from {{ ref('kustomer__native_disagreements') }}
