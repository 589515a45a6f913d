import net from 'node:net';

/** The server could not bind its port: something took it between picking and binding. */
export class PortTakenError extends Error {}

/**
 * Starts a server on a free loopback port. A port is free when picked but not reserved, so
 * another process can take it before the server binds it: `start` fails with `PortTakenError`
 * then, and a few attempts on other ports make that race harmless.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt < 3 && error instanceof PortTakenError) continue;
      throw error;
    }
  }
}

/** A loopback port nothing listens on right now (not reserved: see `onFreePort`). */
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
