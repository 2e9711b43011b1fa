-- The job's own verdict, kept apart from the last outcome (contracts.md §7.4–7.5): a stored result
-- that the backend refused (`failed`, callback_rejected) must still resume as `completed` or
-- `rejected` once redriven, and a rejected quote has no result document to carry its input error.
ALTER TABLE nrf_worker.job_ledger
  ADD COLUMN IF NOT EXISTS verdict text CHECK (verdict IN ('completed', 'rejected')),
  ADD COLUMN IF NOT EXISTS verdict_error jsonb;

-- The stored result is resent byte-for-byte on a resumed delivery (the results sink answers 409 to
-- "a different document"), so it keeps the text it was written with: json, not jsonb, whose key
-- reordering would change the body.
ALTER TABLE nrf_worker.job_ledger ALTER COLUMN result TYPE json USING result::json;
