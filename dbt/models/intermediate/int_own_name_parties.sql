-- Outside parties that bear the customer's own name: the customer's accounts at other banks (savings, a
-- brokerage, an account abroad), paid to and from under the holder's name. The names are compared inside
-- the database and this model keeps only which (customer, party) pairs match, never a name: personal data
-- stays in ledger.customer_pii. Ephemeral: never written to a table or view (a stored list of each
-- customer's own-name parties, joined to the flows' labels, would be a list of customers' names), only
-- inlined into the rules that ask. A party matches when the names on its payments hold every word of the
-- customer's full name (words of two letters or more: initials aside) and at most one word more (a middle
-- name), in any order and case ("MITCHELL, PRIYA R" is Priya Mitchell), and money went both ways between
-- them (an account of one's own is paid into and drawn from; a payee named like the customer by whoever
-- typed the name, a thief or a scammer's "safe account", only receives). Other customers of the bank
-- (`C<id>`), cash and crypto are not parties here.
{{ config(materialized='ephemeral') }}
with names as (
    select
        customer_id,
        array(select distinct w from unnest({{ name_words('full_name') }}) as w where length(w) > 1) as words
    from {{ source('ledger', 'customer_pii') }}
),

parties as (
    select customer_id, party_key, party_label
    from {{ ref('int_customer_flows') }}
    where party_label is not null
        and party_key not in ('CASH', 'CRYPTO')
        and party_key !~ '^C[0-9]+$'
        -- money both ways with the party
        and (customer_id, party_key) in (
            select customer_id, party_key
            from {{ ref('int_customer_flows') }}
            group by customer_id, party_key
            having count(*) filter (where flow = 'IN') > 0 and count(*) filter (where flow = 'OUT') > 0
        )
    group by customer_id, party_key, party_label
)

select p.customer_id, p.party_key
from parties as p
join names as n using (customer_id)
cross join lateral (
    select array(select distinct w from unnest({{ name_words('p.party_label') }}) as w where length(w) > 1) as words
) as l
where cardinality(n.words) >= 2
    and n.words <@ l.words
    and cardinality(l.words) <= cardinality(n.words) + 1
group by p.customer_id, p.party_key
