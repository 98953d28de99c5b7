-- Insights kept per account (`serving.insights.latest_insights`): computed by `fintra run` for every
-- customer account and on a read that finds none covering the account's latest movement. A row serves
-- only while `until` is still the account's latest movement and the merchant index is the same version.
CREATE TABLE serving.account_insights (
    account_id bigint NOT NULL,
    months integer NOT NULL,
    until timestamptz NOT NULL,
    resolver_version integer NOT NULL,
    payload jsonb NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, months)
);
