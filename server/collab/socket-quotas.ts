import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { socketQuotas, type RateQuota } from '../../blocks/contract.js';
import { MessageType } from './wire.js';

/** The rates of `socketQuotas` a socket is held to, by their name there. */
export type RateQuotaName = 'updates' | 'bytes' | 'fullStateRequests';

/** A socket went over one of its rates: which, and the close reason that says so. */
export interface QuotaExceeded {
  quota: RateQuotaName;
  reason: string;
}

/**
 * A token bucket refilled continuously from the time of each take: constant work per frame and
 * no timer. Times are milliseconds of a monotonic clock (`performance.now()`).
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly quota: RateQuota,
    private updatedAt: number,
  ) {
    this.tokens = quota.burst;
  }

  /** Takes `amount` if the bucket holds that much at time `at`; otherwise takes nothing. */
  take(amount: number, at: number): boolean {
    if (at > this.updatedAt) {
      this.tokens = Math.min(this.quota.burst, this.tokens + ((at - this.updatedAt) / 1000) * this.quota.perSecond);
      this.updatedAt = at;
    }
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

export type FrameKind = 'update' | 'full-state-request' | 'other';

/**
 * What a frame asks of the server, read from its first varuints only; the room parses it whole
 * and refuses what is malformed, so anything unreadable here is simply 'other'.
 */
export function classifyFrame(frame: Uint8Array): FrameKind {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.QueryAwareness) return 'full-state-request';
    if (type !== MessageType.Sync) return 'other';
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) return 'full-state-request';
    if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) return 'update';
    return 'other';
  } catch {
    return 'other';
  }
}

const MiB = 1024 * 1024;

const exceeded: Record<RateQuotaName, QuotaExceeded> = {
  updates: {
    quota: 'updates',
    reason: `发送修改过快，请稍后再连接（rate limit "updates": ${socketQuotas.updates.burst} at once, ${socketQuotas.updates.perSecond}/s）`,
  },
  bytes: {
    quota: 'bytes',
    reason: `发送数据过多，请稍后再连接（rate limit "bytes": ${socketQuotas.bytes.burst / MiB} MiB at once, ${socketQuotas.bytes.perSecond / MiB} MiB/s）`,
  },
  fullStateRequests: {
    quota: 'fullStateRequests',
    reason: `请求整份文档过于频繁（rate limit "fullStateRequests": ${socketQuotas.fullStateRequests.burst} at once, ${socketQuotas.fullStateRequests.perSecond * 60}/min）`,
  },
};

/**
 * The rates one socket is held to, judged on each frame before it reaches the room's queue, so a
 * flood is stopped at the door instead of waiting in line ahead of everyone's edits.
 */
export class SocketQuotas {
  private readonly updates: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly fullStateRequests: TokenBucket;

  constructor(at: number) {
    this.updates = new TokenBucket(socketQuotas.updates, at);
    this.bytes = new TokenBucket(socketQuotas.bytes, at);
    this.fullStateRequests = new TokenBucket(socketQuotas.fullStateRequests, at);
  }

  /** Counts a frame the socket sent at time `at`: the quota it goes over, or null. */
  admit(frame: Uint8Array, at: number): QuotaExceeded | null {
    if (!this.bytes.take(frame.byteLength, at)) return exceeded.bytes;
    const kind = classifyFrame(frame);
    if (kind === 'update' && !this.updates.take(1, at)) return exceeded.updates;
    if (kind === 'full-state-request' && !this.fullStateRequests.take(1, at)) return exceeded.fullStateRequests;
    return null;
  }
}
