import { randomUUID } from 'node:crypto';
import type { ClusterConfig } from '../config.js';
import type { Forwarding } from './forwarding.js';
import type { Relay } from './relay.js';
import { ReportOwnership, type OwnershipOptions } from './report-ownership.js';

/** This process as one of several: who decides which report, and the relay between them. */
export interface Cluster extends Forwarding {
  readonly ownership: ReportOwnership;
  readonly relay: Relay;
  /** The process listens at `url` (unless INTERNAL_URL says where others reach it): it may take reports now. */
  listening(url: string): void;
  /** Lets go of every report (the others take them at once) and of the relay. */
  stop(): Promise<void>;
}

export async function joinCluster(
  config: ClusterConfig,
  deps: Pick<OwnershipOptions, 'db' | 'isOpen' | 'onLost' | 'onLeaseEnded' | 'onError'>,
): Promise<Cluster> {
  const processId = randomUUID();
  // Loaded only here: a single process does not carry the Redis client in memory.
  const { RedisRelay } = await import('./relay.js');
  const relay = await RedisRelay.connect(config.redisUrl, processId, deps.onError);
  let url = config.internalUrl;
  const ownership = new ReportOwnership({
    ...deps,
    processId,
    url: () => {
      if (!url) throw new Error('a report was routed before the server listened');
      return url;
    },
    leaseMs: config.leaseMs,
  });
  return {
    processId,
    ownership,
    relay,
    route: (reportId) => ownership.route(reportId),
    holderUnreachable: (reportId, url) => ownership.holderUnreachable(reportId, url),
    listening(listeningUrl) {
      url ??= listeningUrl;
      ownership.start();
    },
    async stop() {
      await ownership.stop();
      await relay.close();
    },
  };
}
