"""AML detection measured on an outside tester's scenarios (`python -m bench.aml_outsider --seed N`).

The scenarios (`scenarios.py`) were written from the literature (FATF typologies, FinCEN advisories, the
AMLworld patterns) by a tester who did not read the detection rules, and are posted through the public
ledger API into a simulated bank of ~400 customers. Seeds 9001-9025 were seen while the rules were changed:
evidence must come from other seeds. The runner is `__main__.py`.
"""
