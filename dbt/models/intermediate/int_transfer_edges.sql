-- The transfer graph the network rules walk: one edge per transfer between two parties, at least one of
-- them a customer. Nodes are party keys (macro party_key): customers `C<id>` and outside parties by
-- account identifier or name, so money that leaves one customer for an outside account and comes back
-- from that same account to another customer is a path through that account. Cash, crypto and common
-- parties (employers, billers: int_common_parties) are not nodes. A transfer between two customers is
-- one edge (read from the payer's side).
select
    f.journal_id,
    f.reference_id,
    f.channel,
    f.amount_usd,
    f.effective_at,
    case when f.flow = 'OUT' then 'C' || f.customer_id else f.party_key end as src,
    case when f.flow = 'OUT' then f.party_key else 'C' || f.customer_id end as dst,
    case when f.flow = 'OUT' then f.customer_id end as src_customer_id,
    case
        when f.flow = 'IN' then f.customer_id
        when f.party_key like 'C%' then substr(f.party_key, 2)::bigint
    end as dst_customer_id,
    case when f.flow = 'OUT' then f.account_code end as src_account,
    case when f.flow = 'IN' then f.account_code else f.other_account_code end as dst_account,
    f.party_label,
    f.is_organisation,
    f.is_business_trade,
    f.is_refund
from {{ ref('int_customer_flows') }} as f
where f.party_key not in ('CASH', 'CRYPTO')
    and not f.is_common_party
    and (f.flow = 'OUT' or f.party_key not like 'C%')
    and f.amount_usd is not null
