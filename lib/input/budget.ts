// The per-job input byte budget (MAX_INPUT_BYTES): every byte downloaded from S3 and every byte
// inflated from a ZIP is charged to one budget, so a job that reads a boundary and a survey-ponds
// file cannot hold more than the budget in memory however the limits per file are set.

import type { JobError } from '../errors.js';
import { fileTooLarge, inputError } from './errors.js';

export type BudgetUse = 'download' | 'inflate';

export class InputBudget {
  #used = 0;

  constructor(readonly limitBytes: number) {
    if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0) throw new RangeError(`input budget must be a positive integer, got ${limitBytes}`);
  }

  get usedBytes(): number {
    return this.#used;
  }

  get remainingBytes(): number {
    return Math.max(0, this.limitBytes - this.#used);
  }

  /** Charges `bytes`; past the limit throws the code that fits the use (the job is then rejected). */
  charge(bytes: number, use: BudgetUse): void {
    this.#used += bytes;
    if (this.#used <= this.limitBytes) return;
    throw this.#exceeded(use);
  }

  #exceeded(use: BudgetUse): JobError {
    const detail = { reason: 'job_input_budget', budgetBytes: this.limitBytes, usedBytes: this.#used };
    return use === 'download' ? fileTooLarge(this.limitBytes, detail) : inputError('zip_total_too_large', detail);
  }
}
