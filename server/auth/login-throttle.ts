/** At most `failures` wrong passwords within `windowMs`. */
export interface ThrottleRule {
  failures: number;
  windowMs: number;
}

export interface LoginThrottleRules {
  /** Guessing one account's password, from anywhere. */
  perAccount: ThrottleRule;
  /** Guessing many accounts from one address. */
  perAddress: ThrottleRule;
}

/**
 * Five wrong passwords a minute for one account; fifty from one address, since a whole office
 * often reaches the server through one address and its people mistype too.
 */
export const defaultThrottleRules: LoginThrottleRules = {
  perAccount: { failures: 5, windowMs: 60_000 },
  perAddress: { failures: 50, windowMs: 60_000 },
};

/** Keys tracked at most; beyond, the longest-quiet are forgotten (a flood of made-up names cannot grow memory). */
const MAX_KEYS = 10_000;

/**
 * Slows password guessing down to nothing: past a number of wrong passwords in a window, for an
 * account or from an address, a login is refused before its password is even hashed, until the
 * oldest failure leaves the window. A correct password clears the account's failures.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rules: LoginThrottleRules = defaultThrottleRules,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before trying again, or 0 if this login may be tried now. */
  waitSeconds(username: string, address: string): number {
    const at = this.now();
    const wait = (key: string, rule: ThrottleRule) => {
      const recent = this.recent(key, rule, at);
      return recent.length < rule.failures ? 0 : recent[recent.length - rule.failures]! + rule.windowMs - at;
    };
    const ms = Math.max(wait(accountKey(username), this.rules.perAccount), wait(addressKey(address), this.rules.perAddress));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  failed(username: string, address: string): void {
    const at = this.now();
    for (const key of [accountKey(username), addressKey(address)]) {
      const list = this.failures.get(key) ?? [];
      this.failures.delete(key);
      list.push(at);
      this.failures.set(key, list.slice(-Math.max(this.rules.perAccount.failures, this.rules.perAddress.failures)));
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.failures.delete(accountKey(username));
  }

  private recent(key: string, rule: ThrottleRule, at: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const recent = list.filter((time) => time > at - rule.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}

// Usernames are compared as the login compares them: trimmed, case as typed.
const accountKey = (username: string) => `account:${username.trim()}`;
const addressKey = (address: string) => `address:${address}`;
