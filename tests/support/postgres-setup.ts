import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres.js';
import { startRedisServer } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis server of a PostgreSQL run, for several server processes to relay through. */
    redisUrl?: string;
  }
}

/**
 * The `postgres` project's run: one PostgreSQL and one Redis server from Debian's packages on
 * loopback ports for the whole run; every server process and in-process test gets a database of
 * its own (tests/support/test-database.ts), and the multi-process suites share the Redis.
 */
export default async function startServicesForRun(project: TestProject) {
  const [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
  project.provide('postgresAdminUrl', cluster.adminUrl);
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([cluster.stop(), redis.stop()]);
  };
}
