// The job's REPEATABLE READ transaction every nutrient statement runs in (spatial.ts opens it).
// Each statement goes through lib/db/cancel.ts `cancellable`, so the job's signal reaches the server.

import type postgres from 'postgres';

export type Tx = postgres.TransactionSql;
