"""The reports and what each holds: rows of a mart for one business day, in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass

# Report money columns are exact ledger amounts (decimal128(38,18)); USD equivalents of several
# currencies are valuations, rounded to cents in the query (the manifest says so), never silently.
USD_ROUNDING = "USD equivalents are valuations at each day's closing rate, rounded half away from zero to 0.01"


@dataclass(frozen=True, slots=True)
class ReportSpec:
    name: str
    title: str
    description: str
    marts: tuple[str, ...]  # analytics models read (dim_alert_thresholds: the thresholds are recorded)
    ledger_tables: tuple[str, ...]  # ledger tables behind them (fingerprinted as inputs)
    query: str  # one parameter: the business day
    money: tuple[str, ...] = ()  # decimal columns
    amount_column: str | None = None  # what the summary totals and ranks by
    amount_label: str = ""  # how the summary names that total
    group_column: str | None = None  # what the summary counts by
    every_row_in_full: bool = False  # the summary shows every row whole (an alert's evidence), not the largest
    flag_column: str | None = None  # a boolean column whose true rows the summary counts first (breaches)
    flag_label: str = ""
    # JSON text columns whose counterparty names and account numbers are written as pseudonyms (evidence.py)
    pseudonymised: tuple[str, ...] = ()


def _alerts(mart: str) -> str:
    return (
        f"SELECT rule, family, alert_id, customer_ref,"  # noqa: S608 - mart names from this module
        f" array_to_string(customer_refs, ';') AS customers, first_at, last_at,"
        f" round(total_amount_usd, 2)::numeric(38, 18) AS total_amount_usd,"
        f" array_to_string(account_codes, ';') AS account_codes,"
        f" array_to_string(journal_ids, ';') AS journal_ids,"
        f" array_to_string(reference_ids, ';') AS reference_ids, details::text AS evidence"
        f" FROM analytics.{mart} WHERE alert_date = %(day)s"
    )


ALERT_MARTS = (
    "rpt_structuring_alerts",
    "rpt_cash_outflow_alerts",
    "rpt_rapid_movement_alerts",
    "rpt_aggregation_alerts",
    "rpt_fan_alerts",
    "rpt_path_alerts",
    "rpt_bipartite_alerts",
    "rpt_dormant_reactivation_alerts",
    "rpt_fx_alerts",
    "rpt_card_testing_alerts",
    "rpt_velocity_alerts",
    "rpt_sanctions_hits",
    "rpt_source_of_funds_alerts",
    "rpt_processor_alerts",
    "rpt_fraud_alerts",
    "rpt_exploitation_alerts",
    "rpt_kiting_alerts",
    "rpt_payroll_fraud_alerts",
    "rpt_cash_front_alerts",
    "rpt_loan_diversion_alerts",
    "rpt_export_control_alerts",
    "rpt_claim_alerts",
    "rpt_atm_operator_alerts",
    "rpt_embezzlement_alerts",
)

REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            "trial_balance",
            "Trial balance",
            "Debits and credits of the day's journal lines per currency; they must be equal.",
            ("rpt_trial_balance",),
            ("journal_entries", "entries"),
            "SELECT business_date, currency, total_debits, total_credits,"
            " (coalesce(total_debits, 0) - coalesce(total_credits, 0))::numeric(38, 18) AS difference, lines"
            " FROM analytics.rpt_trial_balance WHERE business_date = %(day)s ORDER BY currency",
            money=("total_debits", "total_credits", "difference"),
            amount_column="difference",
            amount_label="Debits minus credits (must be 0)",
            group_column="currency",
        ),
        ReportSpec(
            "ctr",
            "Currency Transaction Reports",
            "Customers whose cash deposits or withdrawals of the day exceed 10,000 USD (31 CFR 1010.311).",
            ("rpt_ctr", "dim_alert_thresholds"),
            ("journal_entries", "entries", "accounts", "customers", "ticks"),
            "SELECT report_id, business_date, customer_ref, cash_direction, transaction_count,"
            " round(total_amount_usd, 2)::numeric(38, 18) AS total_amount_usd,"
            " amounts_by_currency::text AS amounts_by_currency, array_to_string(account_codes, ';') AS account_codes,"
            " array_to_string(reference_ids, ';') AS reference_ids, threshold_usd::numeric(38, 18) AS threshold_usd"
            " FROM analytics.rpt_ctr WHERE business_date = %(day)s ORDER BY customer_ref, cash_direction",
            money=("total_amount_usd", "threshold_usd"),
            amount_column="total_amount_usd",
            amount_label="Cash reported, USD equivalent",
            group_column="cash_direction",
        ),
        ReportSpec(
            "aml_alerts",
            "AML alerts",
            "Every alert raised on the day, by family: structuring and cash, funnel accounts, cross-customer"
            " aggregation, network patterns (fans, cycles, chains, scatter-gather, bipartite), dormancy, FX,"
            " card testing, account takeover, source of funds, payment processing and sanctions screening; each"
            " with every customer, account,"
            " journal and reference that took part, and its evidence.",
            (*ALERT_MARTS, "dim_alert_thresholds"),
            ("journal_entries", "entries", "holds", "accounts", "customers", "customer_pii", "ticks"),
            "SELECT * FROM ("  # noqa: S608 - mart names from this module
            + " UNION ALL ".join(_alerts(mart) for mart in ALERT_MARTS)
            + ") AS alerts ORDER BY rule, alert_id",
            money=("total_amount_usd",),
            amount_column="total_amount_usd",
            amount_label="Amount involved, USD equivalent",
            group_column="rule",
            every_row_in_full=True,
            pseudonymised=("evidence",),
        ),
        ReportSpec(
            "sar_deadlines",
            "SAR deadlines",
            "Cases past their SAR filing deadline (30 calendar days from initial detection, 31 CFR 1020.320)"
            " and still undecided at the day's end: each must be decided now, a SAR filed or the case closed.",
            ("rpt_sar_deadlines", "dim_alert_thresholds"),
            (),
            "SELECT case_id, rule, source, status, assignee, customer_ref, opened_at, sar_deadline,"
            " (%(day)s::date - (sar_deadline AT TIME ZONE 'UTC')::date) AS days_overdue, title"
            " FROM analytics.rpt_sar_deadlines"
            " WHERE sar_deadline < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC'"
            " AND (closed_at IS NULL OR closed_at >= (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC')"
            " ORDER BY sar_deadline, case_id",
            group_column="rule",
        ),
        ReportSpec(
            "safeguarding",
            "Safeguarding",
            "Customer liabilities against safeguarded funds per currency at the day's close; a shortfall, or a"
            " surplus above the tolerance (own funds commingled), is a breach to explain.",
            ("rpt_safeguarding",),
            ("journal_entries", "entries", "accounts", "ticks"),
            "SELECT business_date, currency, customer_liabilities, safeguarded_funds, surplus, is_shortfall,"
            " customer_accounts, round(surplus_usd, 2)::numeric(38, 18) AS surplus_usd, tolerance_share::text,"
            " is_breach, breach"
            " FROM analytics.rpt_safeguarding WHERE business_date = %(day)s ORDER BY currency",
            money=("customer_liabilities", "safeguarded_funds", "surplus", "surplus_usd"),
            amount_column="surplus_usd",
            amount_label="Surplus over customer liabilities, USD equivalent",
            group_column="currency",
            flag_column="is_breach",
            flag_label="Breaches to explain (shortfall, or surplus above the tolerance)",
        ),
    )
}


def report_spec(name: str) -> ReportSpec:
    """The report called `name`, or a ValueError naming the ones that exist."""
    try:
        return REPORTS[name]
    except KeyError:
        raise ValueError(f"report: unknown report {name!r}; the reports are {', '.join(REPORTS)}") from None
