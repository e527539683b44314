import { Client } from 'pg';

/**
 * The user's open sessions as they would be `minutes` after their sign-in: their next renewed token carries it
 * (auth_time), for what needs a recent sign-in (rule recent_sign_in_required: an API key, an erasure).
 */
export async function ageSessions(databaseUrl: string, userId: string, minutes: number): Promise<void> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    await sql.query(`UPDATE identity.refresh_tokens SET signed_in_at = signed_in_at - make_interval(mins => $2) WHERE user_id = $1 AND revoked_at IS NULL`, [userId, minutes]);
  } finally {
    await sql.end();
  }
}
