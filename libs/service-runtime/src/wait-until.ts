/**
 * Read-your-writes across services: a client that just got 201 from one service may use the new id
 * at once in another, before the integration event has arrived there. So an unknown id is looked up
 * again (5, 10, 20 … 100 ms apart) until `timeoutMs` (REPLICA_WAIT_MS) before it is called unknown.
 */
export async function waitUntil<T>(find: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
