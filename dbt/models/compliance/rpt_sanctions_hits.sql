-- Sanctions screening: every transfer to or from a party outside the platform whose name matches a
-- watch-listed name or alias with a score of at least `sanctions_min_score` (features.screening: names
-- transliterated to Latin letters, particles and legal forms normalised, best-pair token Jaro-Winkler with
-- phonetic keys; 0.87 is its review threshold, 0.95 a near-exact match). One row per transfer and listed
-- entity, with the listed spelling that matched best, the score and how it matched.
select
    'SANCTIONS_SCREENING'::text as rule,
    {{ rule_family("'SANCTIONS_SCREENING'") }} as family,
    md5('SANCTIONS_SCREENING:' || m.journal_id || ':' || s.entity_id) as alert_id,
    m.business_date as alert_date,
    m.customer_id,
    c.customer_ref,
    array[m.customer_id] as customer_ids,
    array[c.customer_ref] as customer_refs,
    m.effective_at as first_at,
    m.effective_at as last_at,
    m.amount_usd::numeric as total_amount_usd,
    array[m.account_code] as account_codes,
    array[m.journal_id] as journal_ids,
    array[m.reference_id] as reference_ids,
    jsonb_build_object(
        'counterparty_name', m.counterparty_name,
        'counterparty_account', m.counterparty_account,
        'counterparty_country', m.counterparty_country,
        'flow', m.flow,
        'channel', m.channel,
        'amount', trim_scale(m.amount)::text,
        'currency', m.currency,
        'entity_id', s.entity_id,
        'listed_name', s.listed_name,
        'program', s.program,
        'score', s.score,
        'basis', s.basis
    ) as details,
    m.counterparty_name,
    s.entity_id,
    s.listed_name,
    s.score
from {{ ref('int_customer_movements') }} as m
join {{ ref('stg_screening__counterparty_matches') }} as s on s.counterparty_name = m.counterparty_name
join {{ ref('stg_ledger__customers') }} as c on c.customer_id = m.customer_id
where m.is_external and s.score >= {{ var('sanctions_min_score') }}
