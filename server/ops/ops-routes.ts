import { Hono } from 'hono';
import { sql } from 'kysely';
import { refuse } from '../../blocks/errors.js';
import { clientAddress, type AppEnv } from '../api/app-env.js';
import type { Db } from '../db/database.js';
import type { Metrics } from './metrics.js';

export interface OpsRoutesDeps {
  db: Db;
  metrics: Metrics;
  /** Bearer token that opens `/metrics` to addresses other than this machine's; null: loopback only. */
  metricsToken: string | null;
  /** False once the server has begun to shut down: a balancer stops sending it new work. */
  ready: () => boolean;
  trustProxy: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * For the operator and their monitoring: `/healthz` (the process answers and the database
 * answers), `/readyz` (and it takes work: not shutting down), `/metrics` (Prometheus).
 */
export function createOpsRoutes({ db, metrics, metricsToken, ready, trustProxy }: OpsRoutesDeps) {
  const databaseAnswers = async () => {
    try {
      await sql`select 1`.execute(db);
      return true;
    } catch {
      return false;
    }
  };
  return new Hono<AppEnv>()
    .get('/healthz', async (c) => ((await databaseAnswers()) ? c.json({ status: 'ok' }) : c.json({ status: 'database unreachable' }, 503)))
    .get('/readyz', async (c) => {
      if (!ready()) return c.json({ status: 'shutting down' }, 503);
      return (await databaseAnswers()) ? c.json({ status: 'ready' }) : c.json({ status: 'database unreachable' }, 503);
    })
    .get('/metrics', async (c) => {
      const fromThisMachine = LOOPBACK.test(clientAddress(c, trustProxy));
      const withToken = metricsToken !== null && c.req.header('authorization') === `Bearer ${metricsToken}`;
      if (!fromThisMachine && !withToken) throw refuse('metrics-forbidden', {});
      c.header('Content-Type', metrics.registry.contentType);
      return c.body(await metrics.registry.metrics());
    });
}
