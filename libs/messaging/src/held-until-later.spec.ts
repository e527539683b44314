// applyInChunks and a message held (HeldUntilLater): a transport that can hold one (Kafka: its partition
// paused) is told so and delivers it and what follows again later; one that cannot tries the chunk again.
import { applyInChunks, ChunkedDelivery } from './message-chunks';
import { HeldUntilLater } from './message-consumer';

/** A delivery of messages by name, where `held` is held the first `times` times it is applied. */
function deliveryHolding(held: string, times: number, withHold: boolean) {
  const applied: string[] = [];
  const holds: HeldUntilLater[] = [];
  let heldSoFar = 0;
  const delivery: ChunkedDelivery<string> = {
    typeOf: () => undefined,
    apply: async (message) => {
      if (message === held && heldSoFar++ < times) throw new HeldUntilLater(`${message} is not to be decided yet`, 1);
      applied.push(message);
    },
    stopping: () => false,
    ...(withHold ? { hold: (error: HeldUntilLater) => void holds.push(error) } : {}),
  };
  return { delivery, applied, holds };
}

describe('applyInChunks with a message held until later', () => {
  it('tells a transport that can hold it, and stops there: the message and those after it are left to be delivered again', async () => {
    const { delivery, applied, holds } = deliveryHolding('b', 1, true);
    expect(await applyInChunks(['a', 'b', 'c'], delivery)).toBe(false);
    expect(holds.map((held) => held.message)).toEqual(['b is not to be decided yet']);
    // `a` was applied in the chunk's transaction and rolled back with it (no message of the chunk asked
    // for a commit before it): delivered again, the inbox counts it once.
    expect(applied).toEqual(['a']);
  });

  it('delivers what committed before the held message, so the transport’s position is the held message’s own', async () => {
    const committed: string[][] = [];
    const holds: HeldUntilLater[] = [];
    const delivery: ChunkedDelivery<string> = {
      // `b` is an import batch: what came before it in the chunk commits first.
      typeOf: (message) => (message === 'b' ? 'ImportRowsSubmitted' : undefined),
      apply: async (message) => {
        if (message === 'b') throw new HeldUntilLater('b is not to be decided yet', 1);
      },
      stopping: () => false,
      committed: async (chunk) => void committed.push(chunk),
      hold: (error) => void holds.push(error),
    };
    expect(await applyInChunks(['a', 'b', 'c'], delivery)).toBe(false);
    expect(committed).toEqual([['a']]);
    expect(holds).toHaveLength(1);
  });

  it('applies the chunk again after a moment on a transport that cannot hold it, until the message may be decided', async () => {
    const { delivery, applied } = deliveryHolding('b', 2, false);
    expect(await applyInChunks(['a', 'b', 'c'], delivery)).toBe(true);
    // The chunk from its start each time (its transaction rolled back): a, a, then all three.
    expect(applied).toEqual(['a', 'a', 'a', 'b', 'c']);
  });
});
