"""AML detection against an outside tester's scenarios: recall per laundering family and benign look-alikes
flagged, on cases the detection rules were not written against.

    python -m bench.aml_outsider --seed 9011 [--seed 9012 ...] [--set {a,b,c,d,e,f,g}] [--workdir DIR] [--rebuild-base]

The scenarios (`bench.aml_outsider.scenarios`) were written from the literature (FATF typologies, FinCEN
advisories, the AMLworld patterns of Altman et al. 2023) by a tester who did not read the detection rules.
Each seed adds ~350 new customers to a simulated bank of ~400 customers over 90 days (the template database
`fintra_bench_outsider_base`, simulated once and kept): 15 laundering families of 5 instances each and 10
benign look-alike families of 8 each, posted through the public ledger API into a copy of the template
(`fintra_bench_outsider_run`, re-created for every seed and left after the last one for inspection). Then
dbt builds the AML marts (`dbt seed`, `dbt run --select +fct_aml_alerts`) and the case queue
(`analytics.fct_aml_alerts` rows with `subsumed_by IS NULL`) is scored against the labels: a laundering
instance is found, and a benign one flagged, when a queued alert names one of its customers.

Seeds 9001-9046, 9060, 9061 and 9070 were looked at while the rules were changed (`SEEN_SEEDS`): evidence must come
from other seeds. `--set b` runs the second, independent set instead (`bench.aml_outsider.scenarios_b`, written later
by another tester from other sources: 13 other laundering families of 5 instances and 10 other look-alike families of
8, customers R<seed>-NNNN); its seeds 1-16, 31, 32, 42 and 47 were looked at (`SEEN_SEEDS_B`; 47 a loan-back lost
and recovered), and its files go to the `set_b` subfolder. `--set c` runs a third independent set
(`bench.aml_outsider.scenarios_c`, by a third tester from other sources: 12 other laundering families of 5 instances
and 10 other look-alike families of 8, customers S<seed>-NNNN); its seeds 13-24, 37-48 and 55-60 were looked at
(`SEEN_SEEDS_C`), and its files go to the `set_c` subfolder. `--set d` runs a fourth independent set
(`bench.aml_outsider.scenarios_d`, by a fourth tester from other sources again: 12 other laundering families of 5
instances and 10 other look-alike families of 8, customers T<seed>-NNNN); its seeds 1-9 and 17 were looked at
(`SEEN_SEEDS_D`: 1-3 read while the rules were changed, 4-9 the rules that fired on their look-alikes, 17 one kite
lost; 1-9 read for the families without a rule in the twenty-first session), and its files go to the `set_d`
subfolder. `--set e` runs a fifth independent set (`bench.aml_outsider.scenarios_e`, by a fifth tester from other
sources again: 9 other laundering families of 5 instances and 7 other look-alike families of 8, customers
U<seed>-NNNN); its seeds 1-6 were looked at (`SEEN_SEEDS_E`: 1-6 were the first measure, 1-3 then read while the
rules were changed), and its files go to the `set_e` subfolder. `--set f` runs a sixth independent set
(`bench.aml_outsider.scenarios_f`, by a sixth tester from other sources again: 9 other laundering families of 5
instances and 7 other look-alike families of 8, customers V<seed>-NNNN); its seeds 1-12 were looked at
(`SEEN_SEEDS_F`: 1-6 were the first measure, 1-3 then read while the rules were changed, 7-12 the measure after,
then a choice between two ways to read a business's cash lump), and its files go to the `set_f` subfolder.
`--set g` runs a seventh independent set (`bench.aml_outsider.scenarios_g`, by a seventh tester from other sources
again, written at the start of the twenty-third session by a helper that did not read the rules, frozen before any
run: 9 other laundering families of 5 instances and 7 other look-alike families of 8, customers W<seed>-NNNN); its
seeds 1-6 were looked at (`SEEN_SEEDS_G`: 1-6 were the first measure, 1-3 and 6 then read while the rules were
changed), and its files go to the `set_g` subfolder.
The server is the configured one (`FINTRA_DATABASE_URL`, or the embedded server under FINTRA_HOME).
Prints one JSON object: per seed, laundering found/total and benign flagged/total per family with the rules
that fired on them, then the totals over the seeds. Writes, per seed, under --workdir (default
FINTRA_HOME/aml_outsider): labels_<seed>.json (every instance's customers, accounts and shape),
alerts_<seed>.json (every alert row) and report_<seed>.md (the evidence of every benign instance flagged and
every laundering instance missed).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psycopg

from bench.aml_outsider import scenarios as scenarios_a
from bench.aml_outsider import scenarios_b, scenarios_c, scenarios_d, scenarios_e, scenarios_f, scenarios_g
from bench.aml_outsider.scenarios import START
from fintra.database import clone_database, create_database, database_url, redact, with_database
from fintra.settings import get_settings
from ledger.schema import migrate as migrate_ledger
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.transform import run_dbt

BASE = "fintra_bench_outsider_base"
RUN = "fintra_bench_outsider_run"
SEEN_SEEDS = (*range(9001, 9047), 9060, 9061, 9070)
SEEN_SEEDS_B: tuple[int, ...] = (*range(1, 17), 31, 32, 42, 47)
SEEN_SEEDS_C: tuple[int, ...] = (*range(13, 25), *range(37, 49), *range(55, 61))
SEEN_SEEDS_D: tuple[int, ...] = (*range(1, 10), 17)
SEEN_SEEDS_E: tuple[int, ...] = tuple(range(1, 7))
SEEN_SEEDS_F: tuple[int, ...] = tuple(range(1, 13))
SEEN_SEEDS_G: tuple[int, ...] = tuple(range(1, 7))
# per scenario set: its module (`generate`, `post_all`), the prefix of its customer refs, the seeds seen while
# the rules were changed and the subfolder of the workdir its files go to
SETS: dict[str, tuple[Any, str, tuple[int, ...], str]] = {
    "a": (scenarios_a, "Q", SEEN_SEEDS, ""),
    "b": (scenarios_b, "R", SEEN_SEEDS_B, "set_b"),
    "c": (scenarios_c, "S", SEEN_SEEDS_C, "set_c"),
    "d": (scenarios_d, "T", SEEN_SEEDS_D, "set_d"),
    "e": (scenarios_e, "U", SEEN_SEEDS_E, "set_e"),
    "f": (scenarios_f, "V", SEEN_SEEDS_F, "set_f"),
    "g": (scenarios_g, "W", SEEN_SEEDS_G, "set_g"),
}
# The base bank the scenarios were written for: their dates start on its first day, and the watch-list
# family picks its entries from its sim.watchlist.
BASE_CONFIG = SimulationConfig(
    customers=400,
    days=90,
    start=START.date(),
    seed=7777,
    typology_share=0.01,
    lookalike_share=0.0,
    scenario_split="tune",
)
# Alert rows annotated with the scenario customers (refs Q<seed>-NNNN, set b R<seed>-NNNN, set c S<seed>-NNNN) they
# name.
CUSTOMERS = "_scenario_customers"
RULE_KEYS = ("rule", "rule_name", "rule_id", "alert_rule")
EVIDENCE_KEYS = (
    "first_at",
    "last_at",
    "total_amount_usd",
    "family",
    "evidence",
    "details",
    "detail",
    "reason",
    "description",
    "summary",
    "window_start",
    "window_end",
    "amount_usd",
    "total_usd",
    "score",
    "matched_name",
    "list_entry",
)


def base_bank(server: str, *, rebuild: bool = False) -> tuple[str, float | None]:
    """The template bank (simulated now when missing, unfinished, of another configuration, or `rebuild`),
    and the seconds its simulation took (None when it was kept)."""
    url = with_database(server, BASE)
    if not rebuild:
        try:
            with psycopg.connect(url) as conn:
                done = conn.execute(
                    "SELECT 1 FROM sim.runs WHERE run_key = %s AND finished_at IS NOT NULL"
                    " AND typology_share = %s AND lookalike_share = %s",
                    (BASE_CONFIG.run_key, BASE_CONFIG.typology_share, BASE_CONFIG.lookalike_share),
                ).fetchone()
            if done is not None:
                migrate_ledger(url)  # a bank simulated by an older version: its schema brought up to date
                return url, None
        except psycopg.Error:
            pass  # no such database or no simulation in it: simulated below
    url = create_database(server, BASE, drop_existing=True)
    print(f"simulating the base bank into {BASE} on {redact(server)} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    simulate(url, BASE_CONFIG)
    return url, round(time.perf_counter() - started, 1)


def build(url: str) -> float:
    """Seed and build the AML marts (everything `fct_aml_alerts` depends on); the seconds it took."""
    started = time.perf_counter()
    for args in (["seed"], ["run", "--select", "+fct_aml_alerts"]):
        result = run_dbt(args, url, capture=True)
        if result.returncode != 0:
            raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return time.perf_counter() - started


def fetch_alerts(url: str, seed: int, prefix: str = "Q") -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of `analytics.fct_aml_alerts`, each row annotated (key `CUSTOMERS`) with the
    scenario customers it names, by ref anywhere in the row or by id in a customer column."""
    with psycopg.connect(url) as conn:
        cols = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'analytics'"
                " AND table_name = 'fct_aml_alerts' ORDER BY ordinal_position"
            )
        ]
        rows = [r[0] for r in conn.execute("SELECT row_to_json(a) FROM analytics.fct_aml_alerts a")]
        ids = dict(
            conn.execute(
                "SELECT customer_id, external_ref FROM ledger.customers WHERE external_ref LIKE %s",
                (f"{prefix}{seed}-%",),
            ).fetchall()
        )
    pat = re.compile(rf"{prefix}{seed}-\d{{4}}")
    for row in rows:
        found = set(pat.findall(json.dumps(row, ensure_ascii=False, default=str)))
        for k, v in row.items():
            if "customer" in k and not k.endswith("ref"):
                vals = v if isinstance(v, list) else [v]
                for x in vals:
                    if isinstance(x, int) and x in ids:
                        found.add(ids[x])
                    elif isinstance(x, str) and x.isdigit() and int(x) in ids:
                        found.add(ids[int(x)])
        row[CUSTOMERS] = sorted(found)
    return cols, rows


def rule_of(row: dict[str, Any]) -> str:
    """The rule that raised an alert row."""
    for k in RULE_KEYS:
        if row.get(k):
            return str(row[k])
    return "?"


def evidence_of(row: dict[str, Any], limit: int = 600) -> str:
    """An alert row's evidence columns as JSON, cut at `limit` characters."""
    keep = {k: v for k, v in row.items() if k in EVIDENCE_KEYS or "evidence" in k or "detail" in k}
    text = json.dumps(keep or row, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def score(seed: int, labels: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """Score the case queue against the labels: the summary (per family found or flagged / total and the
    rules that fired on its instances) and the markdown report with the evidence of every benign instance
    flagged and every laundering instance missed."""
    queue = [r for r in rows if r.get("subsumed_by") is None]
    by_cust: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_cust_all: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for c in r[CUSTOMERS]:
            by_cust_all[c].append(r)
    for r in queue:
        for c in r[CUSTOMERS]:
            by_cust[c].append(r)
    fams: dict[str, dict[str, Any]] = {}
    misses, fps = [], []
    for inst, lab in labels.items():
        f = fams.setdefault(
            lab["family"], {"class": lab["class"], "n": 0, "hit": 0, "hit_any": 0, "rules": defaultdict(int)}
        )
        f["n"] += 1
        hits = [r for c in lab["customers"] for r in by_cust.get(c, [])]
        hits_any = [r for c in lab["customers"] for r in by_cust_all.get(c, [])]
        f["hit"] += bool(hits)
        f["hit_any"] += bool(hits_any)
        for rule in {rule_of(r) for r in hits}:
            f["rules"][rule] += 1
        if lab["class"] == "laundering" and not hits:
            misses.append((inst, lab, hits_any))
        if lab["class"] == "benign" and hits:
            seen = set()
            uniq = []
            for r in hits:
                key = json.dumps(r, sort_keys=True, default=str)
                if key not in seen:
                    seen.add(key)
                    uniq.append(r)
            fps.append((inst, lab, uniq))
    on_scenario = sum(1 for r in queue if r[CUSTOMERS])
    out = [
        f"# aml_outsider seed {seed}",
        "",
        f"alerts total {len(rows)}, case queue (subsumed_by IS NULL) {len(queue)}, "
        f"queue alerts on scenario customers {on_scenario}",
        "",
        "| family | class | instances | alerted (queue) | alerted (any row) | rules (instances) |",
        "|---|---|---|---|---|---|",
    ]
    ordered = sorted(fams.items(), key=lambda kv: (kv[1]["class"] != "laundering", kv[0]))
    for name, f in ordered:
        rules = ", ".join(f"{k}:{v}" for k, v in sorted(f["rules"].items()))
        out.append(f"| {name} | {f['class']} | {f['n']} | {f['hit']} | {f['hit_any']} | {rules} |")
    lt = [f for f in fams.values() if f["class"] == "laundering"]
    bt = [f for f in fams.values() if f["class"] == "benign"]
    out += [
        "",
        f"laundering recall {sum(f['hit'] for f in lt)}/{sum(f['n'] for f in lt)}; "
        f"benign flagged {sum(f['hit'] for f in bt)}/{sum(f['n'] for f in bt)}",
        "",
        "## False positives (benign)",
    ]
    for inst, lab, hits in fps:
        out.append(f"- {inst} {lab['customers']} shape={json.dumps(lab['shape'], default=str)}")
        for r in hits:
            out.append(f"    - rule={rule_of(r)} evidence={evidence_of(r)}")
    out += ["", "## Laundering instances caught: rules per instance"]
    for inst, lab in labels.items():
        if lab["class"] != "laundering":
            continue
        rules = sorted({rule_of(r) for c in lab["customers"] for r in by_cust.get(c, [])})
        if rules:
            out.append(f"- {inst}: {', '.join(rules)} | shape={json.dumps(lab['shape'], default=str)[:200]}")
    out += ["", "## Misses (laundering)"]
    for inst, lab, hits_any in misses:
        sub = f" (only in subsumed rows: {sorted({rule_of(r) for r in hits_any})})" if hits_any else ""
        more = "..." if len(lab["customers"]) > 4 else ""
        out.append(f"- {inst} {lab['customers'][:4]}{more} shape={json.dumps(lab['shape'], default=str)}{sub}")

    def family(f: dict[str, Any], found: str) -> dict[str, Any]:
        return {
            found: f["hit"],
            "total": f["n"],
            f"{found}_incl_subsumed": f["hit_any"],
            "rules": dict(sorted(f["rules"].items())),
        }

    summary = {
        "alerts": len(rows),
        "queue": len(queue),
        "queue_on_scenario_customers": on_scenario,
        "queue_by_rule": dict(sorted(Counter(rule_of(r) for r in queue).items())),
        "laundering_found": sum(f["hit"] for f in lt),
        "laundering_total": sum(f["n"] for f in lt),
        "benign_flagged": sum(f["hit"] for f in bt),
        "benign_total": sum(f["n"] for f in bt),
        "laundering": {name: family(f, "found") for name, f in ordered if f["class"] == "laundering"},
        "benign": {name: family(f, "flagged") for name, f in ordered if f["class"] == "benign"},
    }
    return summary, "\n".join(out)


def run_seed(server: str, seed: int, workdir: Path, scenario_set: str = "a") -> dict[str, Any] | None:
    """Copy the template bank, post the scenarios of `seed` (of set `scenario_set`), build the marts and score
    the case queue. None when the scenario set's own consistency check refuses the seed's plan (the tester's
    generator, left as written: a seed it cannot plan is skipped, not scored)."""
    module, prefix, seen_seeds, _ = SETS[scenario_set]
    url = clone_database(server, BASE, RUN)
    started = time.perf_counter()
    try:
        plan = module.generate(seed, url)
    except AssertionError as exc:
        print(f"seed {seed}: skipped, the scenario set's own check refused its plan: {exc}", file=sys.stderr)
        return None
    posted = module.post_all(plan, url)
    post_s = time.perf_counter() - started
    labels_path = workdir / f"labels_{seed}.json"
    labels_path.write_text(json.dumps(plan.labels, indent=1, default=str))
    print(
        f"seed {seed}: posted {posted['posted']} ({len(plan.custs)} customers), refused {len(posted['refused'])}",
        file=sys.stderr,
        flush=True,
    )
    for line in posted["refused"]:
        print("  refused", line[:300], file=sys.stderr)
    dbt_s = build(url)
    cols, rows = fetch_alerts(url, seed, prefix)
    (workdir / f"alerts_{seed}.json").write_text(json.dumps({"columns": cols, "rows": rows}, indent=1, default=str))
    # scored from the labels as written (tuples read back as lists), as the report shows them
    summary, report = score(seed, json.loads(labels_path.read_text()), rows)
    if posted["refused"]:
        report += "\n\n## Postings refused by the ledger\n" + "\n".join(f"- {line}" for line in posted["refused"])
    report_path = workdir / f"report_{seed}.md"
    report_path.write_text(report + "\n")
    return {
        "seed": seed,
        "set": scenario_set,
        "seen": seed in seen_seeds,
        "customers": len(plan.custs),
        "posted": posted["posted"],
        "refused": len(posted["refused"]),
        "post_s": round(post_s, 1),
        "dbt_s": round(dbt_s, 1),
        **summary,
        "report": str(report_path),
    }


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Found / flagged and totals summed over the seeds, overall and per family."""
    out: dict[str, Any] = {}
    for cls, found in (("laundering", "found"), ("benign", "flagged")):
        hit = sum(r[f"{cls}_{found}"] for r in results)
        total = sum(r[f"{cls}_total"] for r in results)
        out[f"{cls}_{found}"] = hit
        out[f"{cls}_total"] = total
        out[f"{cls}_{found}_share"] = round(hit / total, 4) if total else None
        per_family: dict[str, dict[str, int]] = {}
        for r in results:
            for name, f in r[cls].items():
                acc = per_family.setdefault(name, {found: 0, "total": 0})
                acc[found] += f[found]
                acc["total"] += f["total"]
        out[f"{cls}_by_family"] = dict(sorted(per_family.items()))
    return out


def _ranges(seeds: tuple[int, ...]) -> str:
    """Seeds as runs of consecutive numbers: "13-24, 37-42" ("none" for none)."""
    runs: list[list[int]] = []
    for seed in sorted(seeds):
        if runs and seed == runs[-1][-1] + 1:
            runs[-1].append(seed)
        else:
            runs.append([seed])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--seed",
        type=int,
        action="append",
        required=True,
        help="scenario seed (repeatable); seeds 9001-9046 (set b: 1-16; set c: 13-24) were seen while the rules"
        " were changed",
    )
    parser.add_argument(
        "--set",
        dest="scenario_set",
        choices=sorted(SETS),
        default="a",
        help="scenario set: a (scenarios.py, the default), b (scenarios_b.py), c (scenarios_c.py), d"
        " (scenarios_d.py, customers T<seed>-NNNN), e (scenarios_e.py, customers U<seed>-NNNN), f (scenarios_f.py,"
        " customers V<seed>-NNNN) or g (scenarios_g.py, customers W<seed>-NNNN); b, c, d, e, f and g are independent"
        " of the tuning",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where the reports go (default: FINTRA_HOME/aml_outsider; set b: its set_b/, set c: its set_c/)",
    )
    parser.add_argument("--rebuild-base", action="store_true", help="simulate the template bank again")
    args = parser.parse_args()
    settings = get_settings()
    _, _, seen_seeds, subfolder = SETS[args.scenario_set]
    workdir: Path = (args.workdir or settings.home_dir / "aml_outsider") / subfolder
    workdir.mkdir(parents=True, exist_ok=True)
    seen = [s for s in args.seed if s in seen_seeds]
    if seen:
        print(f"note: seeds {seen} were seen while the rules were changed; not evidence", file=sys.stderr)

    server = database_url(settings)
    _, base_s = base_bank(server, rebuild=args.rebuild_base)
    ran = {seed: run_seed(server, seed, workdir, args.scenario_set) for seed in args.seed}
    results = [result for result in ran.values() if result is not None]
    if not results:
        sys.exit(f"no seed could be run: the scenario set refused every plan ({sorted(ran)})")
    report = {
        "benchmark": "aml_outsider",
        "set": args.scenario_set,
        "seen_seeds": _ranges(seen_seeds),
        "base_simulation_s": base_s,
        "workdir": str(workdir),
        "seeds": results,
        "skipped_seeds": [seed for seed, result in ran.items() if result is None],
        "totals": totals(results),
    }
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
