-- Scenario labels: every injected case is a family (a laundering or fraud typology, or a benign
-- look-alike marked `is_benign`), drawn from the parameter ranges of one split ("tune" to calibrate
-- rules, "holdout" to report them), and may involve several customers. `typology` keeps the family's
-- name for existing readers; the closed list of seven names is gone (families are open-ended).

ALTER TABLE sim.labels DROP CONSTRAINT IF EXISTS labels_typology_check;

ALTER TABLE sim.labels
    ADD COLUMN family        text,
    ADD COLUMN is_benign     boolean NOT NULL DEFAULT false,
    ADD COLUMN split         text,
    ADD COLUMN customer_refs text[];

UPDATE sim.labels
   SET family = typology, split = 'tune', customer_refs = ARRAY[customer_ref]
 WHERE family IS NULL;

ALTER TABLE sim.labels
    ALTER COLUMN family SET NOT NULL,
    ALTER COLUMN split SET NOT NULL,
    ALTER COLUMN customer_refs SET NOT NULL,
    ADD CONSTRAINT labels_family_is_typology CHECK (family = typology),
    ADD CONSTRAINT labels_split_check CHECK (split IN ('tune', 'holdout')),
    ADD CONSTRAINT labels_main_customer_involved CHECK (customer_ref = ANY (customer_refs));

CREATE INDEX labels_family ON sim.labels (family, split);

ALTER TABLE sim.runs
    ADD COLUMN lookalike_share numeric NOT NULL DEFAULT 0,
    ADD COLUMN scenario_split  text    NOT NULL DEFAULT 'tune' CHECK (scenario_split IN ('tune', 'holdout'));
