-- Outside parties many customers deal with, month after month: employers paying payroll, landlords'
-- agents, utilities, billers. Money to or from them is everyday life, not a network pattern, so the
-- network and aggregation rules leave them out. A party is common when at least
-- `common_party_min_customers` distinct customers sent it or received from it money, in at least
-- `common_party_min_weeks` distinct weeks, and at least `common_party_min_recurring_customers` of them
-- dealt with it again at least `common_party_recurring_days` after their first time (a salary, a bill,
-- rent). A beneficiary that a ring of customers fed in a burst of days is not common, even when the
-- burst straddles three calendar weeks: each of those customers paid it once.
with moves as (
    select party_key, customer_id, effective_at
    from {{ ref('int_customer_movements') }}
    where {{ is_outside_party('party_key') }}
),

relationships as (
    select
        party_key,
        customer_id,
        max(effective_at) - min(effective_at)
            >= interval '{{ var("common_party_recurring_days") }} days' as recurring
    from moves
    group by party_key, customer_id
),

parties as (
    select
        party_key,
        count(distinct customer_id) as customers,
        count(distinct date_trunc('week', effective_at)) as active_weeks
    from moves
    group by party_key
)

select
    p.party_key,
    p.customers,
    p.active_weeks,
    r.recurring_customers
from parties as p
join (
    select party_key, count(*) filter (where recurring) as recurring_customers
    from relationships
    group by party_key
) as r on r.party_key = p.party_key
where p.customers >= {{ var('common_party_min_customers') }}
    and p.active_weeks >= {{ var('common_party_min_weeks') }}
    and r.recurring_customers >= {{ var('common_party_min_recurring_customers') }}
