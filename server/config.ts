import path from 'node:path';
import { socketQuotas } from '../blocks/contract.js';
import type { CollabSettings } from './collab/collab-route.js';
import { KEEP_IDLE_MS } from './collab/room-registry.js';
import { DEFAULT_POOL_SIZE, type DatabaseTarget } from './db/database.js';
import type { WebhookConfig } from './publish/webhook-outbox.js';
import type { WebSecurity } from './api/request-guard.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** How long a login lasts. */
  sessionTtlMs: number;
  /** How often expired sessions are deleted and what is open under an ended session is closed. */
  sessionSweepMs: number;
  /** Send the session cookie only over HTTPS (set behind a TLS-terminating proxy). */
  cookieSecure: boolean;
  /**
   * The embedded SQLite file under `dataDir` (SQLITE_SYNCHRONOUS: 'full' also survives power loss
   * at some cost per update; 'normal' survives a killed process), or PostgreSQL (DATABASE_URL).
   */
  database: DatabaseTarget;
  /** Several server processes on one PostgreSQL database (REDIS_URL); null: this process is alone. */
  cluster: ClusterConfig | null;
  compactAfterUpdates: number;
  /** How long a report nobody has open stays loaded (0: freed at once). */
  roomKeepIdleMs: number;
  /** Where the built browser app lives. */
  clientDir: string;
  /** What the collaboration sockets may hold and how many a login and a user may open. */
  collab: CollabSettings;
  /** The Chromium that prints published reports to PDF. */
  chromiumPath: string;
  /** The external portal each publication is pushed to; null: none. */
  webhook: WebhookConfig | null;
  /** Behind a reverse proxy (TRUST_PROXY), and origins allowed besides the server's own host (ALLOWED_ORIGINS). */
  web: WebSecurity;
  /** Opens /metrics to other machines with `Authorization: Bearer <token>` (METRICS_TOKEN); loopback only without it. */
  metricsToken: string | null;
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function readWebhook(env: NodeJS.ProcessEnv): WebhookConfig | null {
  const url = env.WEBHOOK_URL;
  if (!url) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(url)) throw new Error(`WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  const secret = env.WEBHOOK_SECRET ?? '';
  if (secret.length < 16) throw new Error('WEBHOOK_SECRET must be set, at least 16 characters, when WEBHOOK_URL is');
  return {
    url,
    secret,
    retryBaseMs: readInteger(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3600_000),
    maxAttempts: readInteger(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
    timeoutMs: readInteger(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
  };
}

export interface ClusterConfig {
  /** The Redis the processes relay events and session ends through. */
  redisUrl: string;
  /** Where the other processes reach this one (INTERNAL_URL); null: http://HOST:<port listened on>. */
  internalUrl: string | null;
  /** A report's holder renews its lease every third of this; a killed holder's reports come back after it. */
  leaseMs: number;
}

function readCluster(env: NodeJS.ProcessEnv, database: DatabaseTarget, host: string): ClusterConfig | null {
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) return null;
  if (!/^rediss?:\/\/\S+$/i.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// URL, got "${redisUrl.replace(/:[^:@/]*@/, ':***@')}"`);
  if (database.kind !== 'postgres') throw new Error('REDIS_URL runs several server processes, which share their reports in PostgreSQL: set DATABASE_URL too');
  const internalUrl = env.INTERNAL_URL || null;
  if (internalUrl && !/^https?:\/\/[^\s/]+\/?$/i.test(internalUrl)) throw new Error(`INTERNAL_URL must be http(s)://host:port, got "${internalUrl}"`);
  if (!internalUrl && ['0.0.0.0', '::', ''].includes(host)) throw new Error(`HOST ${host || '(all)'} is no address the other processes can reach: set INTERNAL_URL (http://this-machine:port)`);
  return { redisUrl, internalUrl: internalUrl?.replace(/\/$/, '') ?? null, leaseMs: readInteger(env, 'REPORT_LEASE_MS', 6000, 300, 600_000) };
}

function readDatabase(env: NodeJS.ProcessEnv, dataDir: string): DatabaseTarget {
  const url = env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\/\S+$/i.test(url)) throw new Error(`DATABASE_URL must be a postgres:// URL, got "${url.replace(/:[^:@/]*@/, ':***@')}"`);
    return { kind: 'postgres', url, poolSize: readInteger(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1000) };
  }
  const synchronous = env.SQLITE_SYNCHRONOUS ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new Error(`SQLITE_SYNCHRONOUS must be "normal" or "full", got "${synchronous}"`);
  }
  return { kind: 'sqlite', file: path.join(dataDir, 'reports.sqlite'), synchronous };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const dataDir = path.resolve(cwd, env.DATA_DIR || './data');
  const host = env.HOST || '127.0.0.1';
  const database = readDatabase(env, dataDir);
  return {
    host,
    port: readInteger(env, 'PORT', 8080, 0, 65535),
    dataDir,
    database,
    cluster: readCluster(env, database, host),
    sessionTtlMs: readInteger(env, 'SESSION_TTL_SECONDS', 12 * 3600, 1, 30 * 24 * 3600) * 1000,
    sessionSweepMs: readInteger(env, 'SESSION_SWEEP_SECONDS', 10, 1, 3600) * 1000,
    cookieSecure: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    metricsToken: env.METRICS_TOKEN ? env.METRICS_TOKEN : null,
    web: {
      trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    },
    compactAfterUpdates: readInteger(env, 'COMPACT_AFTER_UPDATES', 500, 1, 1_000_000),
    roomKeepIdleMs: readInteger(env, 'ROOM_KEEP_IDLE_SECONDS', KEEP_IDLE_MS / 1000, 0, 24 * 3600) * 1000,
    clientDir: path.resolve(cwd, env.CLIENT_DIR || './dist/client'),
    collab: {
      maxBufferedBytes: readInteger(env, 'COLLAB_MAX_BUFFERED_BYTES', 16 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
      maxTotalBufferedBytes: readInteger(env, 'COLLAB_MAX_TOTAL_BUFFERED_BYTES', socketQuotas.maxTotalBufferedBytes, 1024 * 1024, 64 * 1024 * 1024 * 1024),
      socketsPerSession: readInteger(env, 'COLLAB_SOCKETS_PER_SESSION', socketQuotas.socketsPerSession, 1, 100_000),
      socketsPerUser: readInteger(env, 'COLLAB_SOCKETS_PER_USER', socketQuotas.socketsPerUser, 1, 100_000),
    },
    chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
    webhook: readWebhook(env),
  };
}
