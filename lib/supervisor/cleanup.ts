// One LIFO cleanup stack per process (STYLE.md item 9): every resource registers its closer when
// it is created; shutdown runs the closers in reverse order, keeps going past failures and then
// reports the single failure or an AggregateError.

export type Closer = () => unknown;

export class CleanupStack {
  private readonly closers: Array<{ name: string; close: Closer }> = [];
  private running: Promise<void> | null = null;

  push(name: string, close: Closer): void {
    this.closers.push({ name, close });
  }

  get size(): number {
    return this.closers.length;
  }

  /** Runs every closer once, newest first. A second call returns the first call's promise. */
  run(onError?: (name: string, error: unknown) => void): Promise<void> {
    this.running ??= this.runAll(onError);
    return this.running;
  }

  private async runAll(onError?: (name: string, error: unknown) => void): Promise<void> {
    const errors: unknown[] = [];
    while (this.closers.length > 0) {
      const { name, close } = this.closers.pop() as { name: string; close: Closer };
      try {
        await close();
      } catch (error) {
        errors.push(error);
        onError?.(name, error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanup steps failed`);
  }
}
