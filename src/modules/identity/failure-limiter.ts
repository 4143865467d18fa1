/**
 * Slows down guessing: counts failed authentications per client address in a fixed window that starts at
 * the address's first failure. Once an address has used its allowance, `check` says how long it must wait;
 * the authenticator then refuses its credentialed requests without checking them (no database read, no
 * scrypt), so guessing costs the server nothing either.
 *
 * In memory, per API instance (several instances each allow their own allowance; a shared store would need
 * a round trip on every request). About 40 lines, with an injected clock for tests, so no library.
 */
export interface FailureLimits {
  maxFailures: number;
  windowMs: number;
  /** Most addresses remembered; the oldest entries are forgotten first. */
  maxAddresses: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limits: FailureLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Null when the address may try; otherwise the whole seconds until it may try again (at least 1). */
  check(address: string): number | null {
    const window = this.current(address);
    if (!window || window.failures < this.limits.maxFailures) return null;
    return Math.max(1, Math.ceil((window.startedAt + this.limits.windowMs - this.now()) / 1000));
  }

  /** Records a failed authentication from `address`. */
  fail(address: string): void {
    const window = this.current(address);
    if (window) {
      window.failures += 1;
      return;
    }
    // Re-inserted at the end of the map's order, so that the first entries are the oldest windows.
    this.windows.delete(address);
    this.windows.set(address, { startedAt: this.now(), failures: 1 });
    while (this.windows.size > this.limits.maxAddresses) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }

  /** How many addresses are remembered (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window && this.now() - window.startedAt >= this.limits.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }
}
