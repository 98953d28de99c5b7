-- Outside parties many customers deal with, week after week: employers paying payroll, landlords'
-- agents, utilities, billers. Money to or from them is everyday life, not a network pattern, so the
-- network and aggregation rules leave them out. A party is common when at least
-- `common_party_min_customers` distinct customers sent it or received from it money, in at least
-- `common_party_min_weeks` distinct weeks; a beneficiary that a ring of customers fed in one burst is not.
select
    party_key,
    count(distinct customer_id) as customers,
    count(distinct date_trunc('week', effective_at)) as active_weeks
from {{ ref('int_customer_movements') }}
where party_key like 'A:%' or party_key like 'N:%'
group by party_key
having count(distinct customer_id) >= {{ var('common_party_min_customers') }}
    and count(distinct date_trunc('week', effective_at)) >= {{ var('common_party_min_weeks') }}
