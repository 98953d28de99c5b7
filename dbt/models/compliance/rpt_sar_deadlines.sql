-- The SAR filing deadline of every case: `sar_filing_days` calendar days from initial detection, which is
-- the case's opening (31 CFR 1020.320(b)(3)). A view over the live case queue: the daily report
-- (`sar_deadlines`) lists the cases past their deadline and still undecided at the day's end, from the
-- cases' own opening and closing times, so a report issued for a day does not change afterwards.
{{ config(materialized='view') }}
select
    c.case_id,
    c.source,
    c.rule,
    c.title,
    c.status,
    c.assignee,
    c.customer_id,
    cu.customer_ref,
    c.opened_at,
    c.opened_at + make_interval(days => {{ var('sar_filing_days') }}) as sar_deadline,
    c.closed_at,
    c.disposition
from {{ source('ledger', 'risk_cases') }} as c
left join {{ ref('stg_ledger__customers') }} as cu using (customer_id)
