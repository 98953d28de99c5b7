-- Outside parties that bear the customer's own name: the customer's accounts at other banks (savings, a
-- brokerage, an account abroad), paid to and from under the holder's name. The names are compared inside
-- the database and this model keeps only which (customer, party) pairs match, never a name: personal data
-- stays in ledger.customer_pii. Ephemeral: never written to a table or view (a stored list of each
-- customer's own-name parties, joined to the flows' labels, would be a list of customers' names), only
-- inlined into the rules that ask. A party matches when the names on its payments hold every word of the
-- customer's full name (words of two letters or more: initials aside) and at most one word more (a middle
-- name), in any order and case ("MITCHELL, PRIYA R" is Priya Mitchell). Only a party that paid the customer
-- is a candidate: the name on money coming in is the sending account's holder, as its bank knows it; a
-- payee's name is whatever the payer typed. `paid_both_ways` says money also went to it (an account of
-- one's own is paid into and drawn from): a payment out counts as to one's own account only then (a payee
-- named like the customer by whoever typed the name, a thief or a scammer's "safe account", only
-- receives), while a receipt from it is the customer's own money either way (savings brought over for a
-- purchase). `is_own_name_party` asks accordingly. Other customers of the bank (`C<id>`), cash and crypto
-- are not parties here.
{{ config(materialized='ephemeral') }}
with names as (
    select
        customer_id,
        array(select distinct w from unnest({{ name_words('full_name') }}) as w where length(w) > 1) as words
    from {{ source('ledger', 'customer_pii') }}
),

pairs as (
    select customer_id, party_key, bool_or(flow = 'OUT') as paid_both_ways
    from {{ ref('int_customer_flows') }}
    where party_label is not null
        and party_key not in ('CASH', 'CRYPTO')
        and party_key !~ '^C[0-9]+$'
    group by customer_id, party_key
    having bool_or(flow = 'IN')
),

parties as (
    select f.customer_id, f.party_key, f.party_label, p.paid_both_ways
    from {{ ref('int_customer_flows') }} as f
    join pairs as p using (customer_id, party_key)
    -- the name it paid in under; under either, once money went both ways
    where f.party_label is not null and (f.flow = 'IN' or p.paid_both_ways)
    group by f.customer_id, f.party_key, f.party_label, p.paid_both_ways
)

select p.customer_id, p.party_key, p.paid_both_ways
from parties as p
join names as n using (customer_id)
cross join lateral (
    select array(select distinct w from unnest({{ name_words('p.party_label') }}) as w where length(w) > 1) as words
) as l
where cardinality(n.words) >= 2
    and n.words <@ l.words
    and cardinality(l.words) <= cardinality(n.words) + 1
group by p.customer_id, p.party_key, p.paid_both_ways
