-- Kept insights are current while the account's balance version is still the one they were computed at:
-- every change to the account bumps it, a back-dated posting or a reversal too, which the latest movement
-- alone would miss. `format` is the payload's shape (serving.insights.INSIGHTS_FORMAT): a release that
-- changes what insights say computes them anew. Rows kept before are dropped: they are a cache.
TRUNCATE serving.account_insights;
ALTER TABLE serving.account_insights
    ADD COLUMN balance_version bigint NOT NULL,
    ADD COLUMN format integer NOT NULL;
