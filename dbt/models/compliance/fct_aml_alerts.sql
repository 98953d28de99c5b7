-- Every alert of the rule marts, each scheme once for the analysts. An alert whose journals all belong to
-- another alert that names its subject among those who took part is that alert's evidence, not a case of
-- its own: a thief's transfer burst inside the fan-out it belongs to, a smurf's cash sent on inside the
-- aggregation that names every smurf, a hub's velocity inside its funnel. `subsumed_by` names the alert
-- holding it (the largest one that is itself held by none), and that alert lists the rules it also
-- tripped (`also_rules`). An alert of a rule in `alerts_never_subsumed` (a watch-list hit, structuring:
-- each a matter to report on its own) always stands alone, as does one without journals (card
-- authorisations). The AML report and the case queue take the alerts held by none (`subsumed_by` null);
-- the rule marts keep every alert.
{%- set marts = [
    'rpt_structuring_alerts', 'rpt_cash_outflow_alerts', 'rpt_rapid_movement_alerts', 'rpt_aggregation_alerts',
    'rpt_fan_alerts', 'rpt_path_alerts', 'rpt_bipartite_alerts', 'rpt_dormant_reactivation_alerts',
    'rpt_fx_alerts', 'rpt_card_testing_alerts', 'rpt_velocity_alerts', 'rpt_sanctions_hits',
    'rpt_source_of_funds_alerts', 'rpt_processor_alerts', 'rpt_fraud_alerts',
    'rpt_exploitation_alerts', 'rpt_kiting_alerts', 'rpt_payroll_fraud_alerts',
    'rpt_cash_front_alerts', 'rpt_loan_diversion_alerts',
    'rpt_export_control_alerts', 'rpt_claim_alerts', 'rpt_atm_operator_alerts', 'rpt_embezzlement_alerts',
] %}
with alerts as (
    {% for mart in marts %}
    select
        rule, family, alert_id, alert_date, customer_id, customer_ref, customer_ids, customer_refs, first_at,
        last_at, total_amount_usd, account_codes, journal_ids, reference_ids, details,
        array(select distinct j from unnest(journal_ids) as j where j is not null order by j) as journal_set
    from {{ ref(mart) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- (held, holder) pairs: every journal of `held` is the holder's, and the holder names held's subject
held_by as (
    select a.alert_id, b.alert_id as holder_id, cardinality(b.journal_set) as holder_size
    from alerts as a
    join alerts as b
        on b.alert_id <> a.alert_id
        and a.journal_set <@ b.journal_set
        and a.customer_id = any(b.customer_ids || b.customer_id)
        -- the same journals both ways: the smaller id holds the other
        and (cardinality(a.journal_set) < cardinality(b.journal_set) or b.alert_id < a.alert_id)
    where cardinality(a.journal_set) > 0
        and a.rule not in ({% for r in var('alerts_never_subsumed') %}'{{ r }}'{{ ',' if not loop.last }}{% endfor %})
),

-- held by a holder held by none: the largest such holder takes it
assigned as (
    select distinct on (h.alert_id) h.alert_id, h.holder_id
    from held_by as h
    where not exists (select 1 from held_by as up where up.alert_id = h.holder_id)
    order by h.alert_id, h.holder_size desc, h.holder_id
),

also as (
    select s.holder_id as alert_id, array_agg(distinct a.rule order by a.rule) as also_rules
    from assigned as s
    join alerts as a on a.alert_id = s.alert_id
    group by s.holder_id
)

select
    a.rule,
    a.family,
    a.alert_id,
    a.alert_date,
    a.customer_id,
    a.customer_ref,
    a.customer_ids,
    a.customer_refs,
    a.first_at,
    a.last_at,
    a.total_amount_usd,
    a.account_codes,
    a.journal_ids,
    a.reference_ids,
    a.details,
    s.holder_id as subsumed_by,
    coalesce(x.also_rules, '{}'::text[]) as also_rules
from alerts as a
left join assigned as s using (alert_id)
left join also as x using (alert_id)
