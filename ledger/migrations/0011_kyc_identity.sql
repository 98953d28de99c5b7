-- What a filing names about a person (a CTR's part I, a SAR's subject): street address and postal code,
-- and the identification document seen at onboarding. Customers registered before have none (null).
ALTER TABLE ledger.customer_pii
    ADD COLUMN address_line text,
    ADD COLUMN postal_code  text,
    ADD COLUMN id_type      text CHECK (id_type IN ('PASSPORT', 'DRIVERS_LICENSE', 'NATIONAL_ID')),
    ADD COLUMN id_number    text,
    ADD CONSTRAINT customer_pii_id_check CHECK ((id_type IS NULL) = (id_number IS NULL));

-- Every read of personal data out of the ledger (ledger.pii.identities): who, for what, whose, when.
CREATE TABLE ledger.pii_access (
    access_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor        text        NOT NULL,
    purpose      text        NOT NULL,
    customer_ids bigint[]    NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER pii_access_append_only BEFORE UPDATE OR DELETE ON ledger.pii_access
    FOR EACH ROW EXECUTE FUNCTION ledger.reject_mutation();
CREATE TRIGGER pii_access_no_truncate BEFORE TRUNCATE ON ledger.pii_access
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_mutation();
