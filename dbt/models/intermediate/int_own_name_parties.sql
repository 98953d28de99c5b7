-- Outside parties that bear the customer's own name: the customer's accounts at other banks (savings, a
-- brokerage, an account abroad). The names are compared inside the database and this model keeps only which
-- (customer, party) pairs match, never a name: personal data stays in ledger.customer_pii. Ephemeral: never
-- written to a table or view (a stored list of each customer's own-name parties, joined to the flows' labels,
-- would be a list of customers' names), only inlined into the rules that ask. A party matches when a name it
-- paid the customer under holds every word of the customer's full name (words of two letters or more:
-- initials aside) and at most one word more (a middle name), in any order and case ("MITCHELL, PRIYA R" is
-- Priya Mitchell). Only names on money coming in count: they are the sending account's holder as its bank
-- sent them, while a payee's name is whatever the payer typed (a victim typing its own name for a scammer's
-- "safe account"). `first_in_at` is when it first paid the customer in: `is_own_name_party` judges each
-- movement against what had happened before it, never after. Other customers of the bank (`C<id>`), common
-- parties (an employer, a biller: no one's own account), cash and crypto are not parties here.
{{ config(materialized='ephemeral') }}
with names as (
    select
        customer_id,
        array(select distinct w from unnest({{ name_words('full_name') }}) as w where length(w) > 1) as words
    from {{ source('ledger', 'customer_pii') }}
),

-- each outside party that paid the customer in, with when it first did, and each name it paid in under
paid_in as (
    select customer_id, party_key, party_label, min(effective_at) as first_in_at
    from {{ ref('int_customer_flows') }}
    where flow = 'IN'
        and party_label is not null
        and party_key not in ('CASH', 'CRYPTO')
        and party_key !~ '^C[0-9]+$'
        and is_common_party is not true
    group by customer_id, party_key, party_label
)

select p.customer_id, p.party_key, min(p.first_in_at) as first_in_at
from paid_in as p
join names as n using (customer_id)
cross join lateral (
    select array(select distinct w from unnest({{ name_words('p.party_label') }}) as w where length(w) > 1) as words
) as l
where cardinality(n.words) >= 2
    and n.words <@ l.words
    and cardinality(l.words) <= cardinality(n.words) + 1
group by p.customer_id, p.party_key
