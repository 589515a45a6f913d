import net from 'node:net';

export interface Balancer {
  /** The installation's one address, as its users have it (http://127.0.0.1:port). */
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * A loopback TCP load balancer in front of several server processes, as a district's nginx would
 * be: each new connection goes to the next process in turn, and to the one after it when that
 * one does not answer (killed) — so clients of a dead process reconnect to a live one.
 */
export async function startBalancer(targets: readonly string[]): Promise<Balancer> {
  const backends = targets.map((target) => new URL(target));
  let next = 0;
  const sockets = new Set<net.Socket>();
  const connectSomewhere = (client: net.Socket, attempts: number) => {
    const backend = backends[next++ % backends.length]!;
    const upstream = net.connect(Number(backend.port), backend.hostname);
    const track = (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    };
    track(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.resume();
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    upstream.once('error', () => {
      if (connected) return;
      upstream.destroy();
      if (attempts + 1 < backends.length) connectSomewhere(client, attempts + 1);
      else client.destroy();
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connectSomewhere(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
