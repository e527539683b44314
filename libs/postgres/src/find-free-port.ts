import { createServer } from 'node:net';

/**
 * A loopback port nobody is listening on right now. The OS picks it (port 0), so two callers in
 * parallel do not collide the way "try 5433, 5434, ..." would.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}
