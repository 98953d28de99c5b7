-- A third parameter split, "holdout2": a fresh evaluation split whose cases were never looked at while
-- tuning rules nor in the holdout measurement. The closed lists of splits on labels and runs gain it.

ALTER TABLE sim.labels
    DROP CONSTRAINT labels_split_check,
    ADD CONSTRAINT labels_split_check CHECK (split IN ('tune', 'holdout', 'holdout2'));

ALTER TABLE sim.runs
    DROP CONSTRAINT runs_scenario_split_check,
    ADD CONSTRAINT runs_scenario_split_check CHECK (scenario_split IN ('tune', 'holdout', 'holdout2'));
