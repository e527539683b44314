import { PoolClient } from 'pg';
import { sendWithNextQuery, Statement, Transactions } from '@skills/postgres';

/** The message's claim was held already: it took effect before (or takes it in another delivery now). */
class AlreadyApplied extends Error {}

/**
 * Exactly-once effect over at-least-once delivery: the message id is claimed in the inbox in the
 * same transaction as the read-model change. A redelivered message finds its claim and is skipped;
 * two concurrent deliveries queue on the primary key and the second one skips. In a consumer's batch
 * (TransactionScope) the message is one savepoint of the batch's transaction.
 *
 * `claimWithFirstStatement`, for a handler whose every effect goes through `tx` (no other connection,
 * no work outside the database): the claim costs no round trip of its own but goes ahead of the
 * handler's first statement, in its round trip. A claim found held then fails that statement's query;
 * its work, done on the server, is undone with the savepoint or transaction, and the message is
 * skipped. A handler that sent nothing has its claim sent alone at the end. A redelivered message runs
 * its handler up to its first statement: one that fails before the claim's answer is read is skipped
 * if its claim is committed, and retried otherwise. Without it the claim is its own round trip,
 * before the handler runs at all.
 */
export async function applyOnce(
  transactions: Transactions,
  consumer: string,
  messageId: string,
  apply: (tx: PoolClient) => Promise<void>,
  { claimWithFirstStatement = false } = {},
): Promise<boolean> {
  const claim: Statement = { text: 'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', values: [consumer, messageId] };
  const claimed = async (tx: PoolClient) => (await tx.query(claim)).rowCount === 1;
  if (!claimWithFirstStatement)
    return transactions.run(async (tx) => {
      if (!(await claimed(tx))) return false;
      await apply(tx);
      return true;
    });
  // Per attempt: whether the claim went out with a statement, and what its answer said (undefined: not read).
  let sent = false;
  let held: boolean | undefined;
  try {
    await transactions.run(async (tx) => {
      [sent, held] = [false, undefined];
      const cancel = sendWithNextQuery(
        tx,
        [claim],
        () => (sent = true),
        ([answer]) => {
          held = answer.rowCount !== 1;
          if (held) throw new AlreadyApplied();
        },
      );
      try {
        await apply(tx);
      } finally {
        cancel();
      }
      // Never claimed a second time: this transaction's own claim would answer "held".
      if (!sent) held = !(await claimed(tx));
      else if (held === undefined) throw new Error('the inbox claim went with a statement whose answer the handler did not wait for: applied again');
      // Also when the handler caught the failure of its statement and went on: what it did is undone.
      if (held) throw new AlreadyApplied();
    });
    return true;
  } catch (error) {
    if (error instanceof AlreadyApplied || held === true) return false;
    // A redelivery whose handler failed before the claim's answer was read (its first statement refused,
    // or a throw before it): applied before if its claim is committed, and then no failure to retry or park.
    if (held === undefined && (await claimCommitted(transactions, consumer, messageId))) return false;
    throw error;
  }
}

async function claimCommitted(transactions: Transactions, consumer: string, messageId: string): Promise<boolean> {
  const { rowCount } = await transactions.database.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [consumer, messageId]);
  return rowCount === 1;
}
