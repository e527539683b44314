import { createServer } from 'node:net';

/** A free port on 127.0.0.1: for a host whose origin (PUBLIC_ORIGIN) must be known before it starts. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
