import net from 'node:net';

export interface LatencyProxy {
  /** The server's address through the proxy (http://127.0.0.1:port). */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of the server whose answers arrive `delayMs` late, in order —
 * a slow network, as a district office's link to the city's data centre can be. What the client
 * sends goes through at once, so the server acts on it before the client sees the server's own
 * news: the window in which an honest client still writes into what the server has changed.
 */
export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
    });
    // An end travels as late as the data before it.
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', () => setTimeout(drop, delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
