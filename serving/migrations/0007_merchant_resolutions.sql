-- What each card descriptor resolved to, per merchant index (the model version and the analysts' catalogue
-- version laid over it): insights resolve only the descriptors that index has not placed before, so a daily
-- run over accounts that moved resolves their new card payments, not three months of them again. A cache:
-- rows may be dropped at any time, and an index version nobody uses any more leaves rows nobody reads.
CREATE TABLE serving.merchant_resolutions (
    model_version integer NOT NULL,
    catalogue_version integer NOT NULL,
    descriptor text NOT NULL,
    status text NOT NULL,
    name text,
    category text,
    resolved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_version, catalogue_version, descriptor)
);
