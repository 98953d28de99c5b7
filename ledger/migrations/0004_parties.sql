-- Parties: the customers who own accounts. Know-your-customer attributes live with the customer;
-- personal data (name, email, date of birth) lives in its own table so that the lake can replace it
-- with keyed pseudonyms and access to it can be granted separately.

CREATE TABLE ledger.customers (
    customer_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_ref text        NOT NULL UNIQUE CHECK (external_ref ~ '^[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}$'),
    country      text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    occupation   text        NOT NULL,
    segment      text        NOT NULL CHECK (segment IN ('RETAIL', 'PREMIUM', 'STUDENT', 'SMALL_BUSINESS')),
    risk_rating  text        NOT NULL CHECK (risk_rating IN ('LOW', 'MEDIUM', 'HIGH')),
    kyc_status   text        NOT NULL DEFAULT 'VERIFIED' CHECK (kyc_status IN ('PENDING', 'VERIFIED', 'REJECTED')),
    onboarded_at timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger.customer_pii (
    customer_id   bigint PRIMARY KEY REFERENCES ledger.customers (customer_id),
    full_name     text   NOT NULL,
    email         text   NOT NULL,
    date_of_birth date   NOT NULL,
    city          text,
    region        text
);

ALTER TABLE ledger.accounts ADD COLUMN customer_id bigint REFERENCES ledger.customers (customer_id);
CREATE INDEX accounts_customer ON ledger.accounts (customer_id) WHERE customer_id IS NOT NULL;
