import { PoolClient } from 'pg';

/**
 * Some categories tell of health or hardship (disabled, registered poor): once a person's personal data is
 * erased or their registration voided (a categories fact marked `erased`), the categories facts of their
 * statistics stream are emptied in this service's log, the one change it takes, as trainee-service empties
 * its registrations (PersonalDataKeys.destroy). Those the stream records after the mark (a registration
 * retried as a dead letter) are emptied as they are recorded. The figures never counted them past the mark
 * (TraineeFacts); the region statistics subtract what they counted by the categories they keep themselves
 * (categories-counted.ts), not by the log's. In the consumer's transaction, with the facts just recorded.
 */
export async function forgetErasedCategories(tx: PoolClient, streamIds: string[]): Promise<void> {
  await tx.query(
    `UPDATE events e SET data = jsonb_set(e.data, '{fact,categories}', '[]')
      WHERE e.stream_id = ANY($1::text[]) AND e.event_type = 'StatisticsFactRecorded'
        AND e.data #>> '{fact,kind}' = 'categories' AND e.data #> '{fact,categories}' <> '[]'
        AND EXISTS (
          SELECT 1 FROM events m
           WHERE m.stream_id = e.stream_id AND m.event_type = 'StatisticsFactRecorded'
             AND m.data #>> '{fact,kind}' = 'categories' AND m.data #> '{fact,erased}' = 'true')`,
    [[...new Set(streamIds)]],
  );
}
