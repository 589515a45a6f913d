import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
/** N=2^15, r=8 costs ~32 MiB and tens of milliseconds per guess: memory-hard, still quick to log in. */
const COST = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;

/**
 * Hashes at once at most. Node runs scrypt on the thread pool that also reads the files the server
 * sends (the editor's script): a hundred parallel logins would otherwise take every thread for
 * seconds and stall the page for everyone. Further hashes wait their turn.
 */
const MAX_PARALLEL_HASHES = 2;
let running = 0;
const queued: Array<() => void> = [];
let computed = 0;

/** How many password hashes this process has computed (a login refused by the throttle costs none). */
export function passwordHashesComputed(): number {
  return computed;
}

async function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // A finished hash hands its place straight to the next in line, so no newcomer slips in between.
  if (running >= MAX_PARALLEL_HASHES) await new Promise<void>((resolve) => queued.push(resolve));
  else running++;
  try {
    computed++;
    return await new Promise((resolve, reject) => {
      scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
    });
  } finally {
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

/** Stored as `scrypt$N$r$p$salt$key` (base64) so the cost can be raised without a migration. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
