import net from 'node:net';

/**
 * A loopback port nothing listens on right now. Free when picked but not reserved: a server that
 * then finds it taken picks another (see the callers).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
