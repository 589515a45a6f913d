/**
 * Turns at something only `count` may use at once (the one SQLite connection; the threads that
 * read imports), given in the order they were asked for.
 */
export class Slots {
  private readonly waiting: Array<() => void> = [];

  constructor(private free: number) {}

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
