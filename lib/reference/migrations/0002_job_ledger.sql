-- The job ledger (contracts.md §7.4): outcome per job key, side effects at most once, and the
-- audit trail of every receive.
CREATE SCHEMA IF NOT EXISTS nrf_worker;

CREATE TABLE IF NOT EXISTS nrf_worker.job_ledger (
  job_key text PRIMARY KEY,
  job_kind text NOT NULL CHECK (job_kind IN ('file', 'quote', 'unknown')),
  job_id text,
  assessment_type text,
  payload_sha256 text NOT NULL,
  state text NOT NULL CHECK (state IN ('processing', 'assessed', 'succeeded', 'rejected', 'failed')),
  error_code text,
  error_detail jsonb,
  result jsonb,
  correlation_id text,
  lease_owner text,
  lease_expires_at timestamptz,
  attempt_series int NOT NULL DEFAULT 1,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE IF NOT EXISTS nrf_worker.job_side_effect (
  job_key text NOT NULL REFERENCES nrf_worker.job_ledger (job_key) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('callback', 'email_completed', 'email_rejected', 'email_failed')),
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'skipped', 'failed_permanent')),
  external_ref text,
  notify_reference text,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_key, kind)
);

CREATE TABLE IF NOT EXISTS nrf_worker.job_delivery (
  message_id text NOT NULL,
  receive_count int NOT NULL,
  job_key text,
  received_at timestamptz NOT NULL DEFAULT now(),
  outcome text CHECK (outcome IN ('succeeded', 'rejected', 'failed', 'retry', 'final_failure', 'duplicate', 'abandoned')),
  visibility_set_s int,
  PRIMARY KEY (message_id, receive_count)
);
CREATE INDEX IF NOT EXISTS job_delivery_job_key_idx ON nrf_worker.job_delivery (job_key);
