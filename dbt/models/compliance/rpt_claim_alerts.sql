-- Money claimed from the state or a lottery in other people's names (family `claims_fraud`).
--   MULTIPLE_TAX_REFUNDS (IRS Criminal Investigation and FinCEN on stolen-identity refund fraud; NACHA's rule that a
--       federal tax refund is paid only to an account of the taxpayer's): within `tax_refund_window_days`, a person
--       (not a business) is paid at least `tax_refund_min_count` tax refunds, at least `tax_refund_min_same_payer` of
--       them by one tax authority. A tax refund is a receipt by ACH or wire (a cheque paid in is an ACH credit) whose
--       payer is a tax authority by its name (`tax_authority_phrases`: the IRS, a state's department of revenue or
--       franchise tax board) or whose reference says it is one (`tax_refund_phrases`: "TAX REF", "TAX REFUND
--       TRANSFER"), and is not pay (`pay_description_words`: a state's payroll). A refund-transfer bank carries
--       several authorities' refunds, so only an authority by its name counts as one. A household is paid one
--       federal refund and a state's or two in a season; several refunds from one authority into one account are
--       returns filed in other people's names.
--   FREQUENT_PRIZE_CLAIMS (FATF, "Vulnerabilities of Casinos and Gaming Sector" 2009; state lottery auditors on
--       frequent claimants, "ten-percenting"): within `prize_window_days`, a person (not a business) is paid at least
--       `prize_min_claims` prizes by lotteries (a word of `lottery_payer_words` in the payer's name; not pay), together at
--       least `prize_min_usd`. Winning tickets bought for cash from their winners turn that cash into prizes; a
--       winner is paid once (and gives to family after).
-- The alert names the payers and every receipt. Windows slide over every receipt; overlapping ones are one alert.
with receipts as (
    select
        f.customer_id,
        f.journal_id,
        f.reference_id,
        f.account_code,
        f.effective_at,
        f.amount_usd,
        f.party_label,
        f.segment,
        coalesce({{ has_phrase_of('f.party_label', 'tax_authority_phrases') }}, false) as is_tax_authority,
        coalesce({{ has_phrase_of('f.description', 'tax_refund_phrases') }}, false) as says_tax_refund,
        coalesce({{ has_word_of('f.party_label', 'lottery_payer_words') }}, false) as is_prize
    from {{ ref('int_customer_flows') }} as f
    where f.flow = 'IN' and f.channel in ('ACH', 'WIRE')
        and f.segment <> 'SMALL_BUSINESS'
        -- pay is no claim (a state's payroll, a lottery's staff)
        and not coalesce({{ has_word_of('f.description', 'pay_description_words') }}, false)
),

claims as (
    select r.*, 'MULTIPLE_TAX_REFUNDS'::text as rule
    from receipts as r
    where r.is_tax_authority or r.says_tax_refund
    union all
    select r.*, 'FREQUENT_PRIZE_CLAIMS'::text as rule
    from receipts as r
    where r.is_prize
),

windows as (
    select
        a.rule,
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        w.claims,
        w.total_usd,
        w.first_at,
        w.most_from_one,
        w.payers,
        w.journal_ids,
        w.reference_ids,
        w.account_codes
    from claims as a
    cross join lateral (
        select
            count(*) as claims,
            sum(c.amount_usd) as total_usd,
            min(c.effective_at) as first_at,
            max(c.payer_claims) as most_from_one,
            array_agg(distinct c.party_label) as payers,
            {{ evidence_ids('c') }},
            array_agg(distinct c.account_code) as account_codes
        from (
            -- claims per tax authority by its name (a refund-transfer bank carries several authorities' refunds);
            -- per lottery
            select x.*, count(*) filter (where x.is_tax_authority or x.is_prize) over (partition by x.party_label)
                as payer_claims
            from claims as x
            where x.rule = a.rule
                and x.customer_id = a.customer_id
                and x.effective_at > a.effective_at - case a.rule
                    when 'MULTIPLE_TAX_REFUNDS' then interval '{{ var("tax_refund_window_days") }} days'
                    else interval '{{ var("prize_window_days") }} days' end
                and x.effective_at <= a.effective_at
        ) as c
    ) as w
    where a.rule = 'MULTIPLE_TAX_REFUNDS'
            and w.claims >= {{ var('tax_refund_min_count') }}
            and w.most_from_one >= {{ var('tax_refund_min_same_payer') }}
        or a.rule = 'FREQUENT_PRIZE_CLAIMS'
            and w.claims >= {{ var('prize_min_claims') }}
            and w.total_usd >= {{ var('prize_min_usd') }}
),

episodes as (
    {{ overlapping_as_one('windows', 'rule, customer_id', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

claim_alerts as (
    -- the episode's window with the most claims (then the latest) speaks for it
    select distinct on (rule, customer_id, episode)
        rule,
        md5(rule || ':' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_at,
        anchor_at as last_at,
        total_usd as total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'claims', claims,
            'most_from_one_payer', most_from_one,
            'payers', to_jsonb(payers),
            'total_usd', trim_scale(round(total_usd::numeric, 2))::text,
            'days', round(extract(epoch from anchor_at - first_at) / 86400, 1)
        ) as details
    from episodes
    order by rule, customer_id, episode, claims desc, anchor_at desc, anchor_journal_id
)

{{ alert_rows('claim_alerts') }}
