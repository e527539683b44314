import { PublishStopped } from '@skills/event-sourcing';
import { InProcessTransport } from './in-process-transport';

describe('InProcessTransport before it listens', () => {
  it('holds a delivery until the host starts its microservices', async () => {
    const transport = new InProcessTransport();
    let delivered = false;
    const delivery = transport.publish([], new AbortController().signal).then(() => (delivered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toBe(false);
    transport.listen(() => undefined);
    await delivery;
    expect(delivered).toBe(true);
  });

  it('gives a delivery up as stopped when its relay stops first (a host closed before it listened)', async () => {
    const transport = new InProcessTransport();
    const stopping = new AbortController();
    const delivery = transport.publish([], stopping.signal);
    stopping.abort();
    await expect(delivery).rejects.toBeInstanceOf(PublishStopped);
    // Already stopped when asked: given up at once.
    await expect(transport.publish([], stopping.signal)).rejects.toBeInstanceOf(PublishStopped);
  });
});
