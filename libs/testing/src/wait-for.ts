export interface WaitForOptions {
  /** Default 10 000. */
  timeoutMs?: number;
  /** Default 100. */
  intervalMs?: number;
  /** What is awaited, for the timeout message: "the projection to show 3 enrolments". */
  description?: string;
}

/**
 * Polls until `predicate` returns something truthy and resolves with it. A predicate that throws
 * (say, a failing `expect`) counts as "not yet"; on timeout its last error is part of the message.
 * For eventually consistent things only: Kafka delivery, projections, outbox relays.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 100, description = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last attempt threw ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
