import { PoolClient } from 'pg';
import { Transactions } from '@skills/postgres';

/**
 * Exactly-once effect over at-least-once delivery: the message id is claimed in the inbox in the
 * same transaction as the read-model change. A redelivered message finds its claim and is skipped;
 * two concurrent deliveries queue on the primary key and the second one skips. In a consumer's batch
 * (TransactionScope) the message is one savepoint of the batch's transaction.
 */
export async function applyOnce(
  transactions: Transactions,
  consumer: string,
  messageId: string,
  apply: (tx: PoolClient) => Promise<void>,
): Promise<boolean> {
  return transactions.run(async (tx) => {
    const claimed = await tx.query(
      'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [consumer, messageId],
    );
    if (claimed.rowCount === 0) return false;
    await apply(tx);
    return true;
  });
}
