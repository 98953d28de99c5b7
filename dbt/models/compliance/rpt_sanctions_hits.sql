-- Sanctions screening: every transfer to or from an external party whose name matches a watchlist name
-- or alias with a trigram similarity of at least `sanctions_min_score` (see int_counterparty_screening).
-- One row per transfer and listed entity, with the listed spelling that matched best and its score.
select
    'SANCTIONS_SCREENING'::text as rule,
    md5('SANCTIONS_SCREENING:' || m.journal_id || ':' || s.entity_id) as alert_id,
    m.business_date as alert_date,
    m.customer_id,
    c.customer_ref,
    m.effective_at as first_at,
    m.effective_at as last_at,
    m.amount_usd::numeric as total_amount_usd,
    array[m.account_code] as account_codes,
    array[m.journal_id] as journal_ids,
    array[m.reference_id] as reference_ids,
    jsonb_build_object(
        'counterparty_name', m.counterparty,
        'flow', m.flow,
        'amount', trim_scale(m.amount)::text,
        'currency', m.currency,
        'entity_id', s.entity_id,
        'listed_name', s.listed_name,
        'program', w.program,
        'score', s.score
    ) as details,
    m.counterparty as counterparty_name,
    s.entity_id,
    s.listed_name,
    s.score
from {{ ref('int_customer_movements') }} as m
join {{ ref('int_counterparty_screening') }} as s on s.counterparty_name = m.counterparty
join {{ ref('watchlist') }} as w on w.entity_id = s.entity_id
join {{ ref('stg_ledger__customers') }} as c on c.customer_id = m.customer_id
where m.is_external and s.score >= {{ var('sanctions_min_score') }}
