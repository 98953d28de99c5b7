-- Days and currencies where debits and credits differ: must be none.
select *
from {{ ref('rpt_trial_balance') }}
where coalesce(total_debits, 0) <> coalesce(total_credits, 0)
