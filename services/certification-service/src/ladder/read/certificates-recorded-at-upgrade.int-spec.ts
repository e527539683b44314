// The upgrade that keeps when each certificate was entered (certification.migrations.ts,
// CertificatesRecordedAt). A certificates table an old build filled has no `recorded_at`; the upgrade fills it
// in place from the log, so a certificate entered before the upgrade answers its `recordedAt` too (its
// event's recorded time), and the table answers throughout (never emptied). Without the migration the
// column is added empty, and the certificate answers no time it was entered.
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { apiSpec, bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIssuer, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificatesRecordedAt, certificationMigrations } from '../../certification.migrations';
import { CertificationModule } from '../../certification.module';
import { holding } from '../../certification-fixtures';

describe('the upgrade that keeps when each certificate was entered', () => {
  const traineeId = randomUUID();
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;

  const certificates = async () => {
    const answer = await http(host!.baseUrl, 'GET', `/api/v1/certificates?traineeId=${traineeId}`, undefined, bearer(await (await testIssuer()).token({ role: 'platform_admin' })));
    expect(answer.status).toBe(200);
    return answer.body.items as { number: string; recordedAt: string | null }[];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    host = await startTestHost({ modules: [CertificationModule], transport: 'in-process', databaseUrl: database.url });
    const spec = apiSpec({ host, databaseUrl: database.url, service: 'certification' });
    await spec.given(holding(traineeId, 'junior', '2021-03-01')).when('GET', '/health/ready').then(200);
    await spec.close();
    await waitFor(async () => ((await certificates()).length === 1 ? true : undefined), { description: 'the certificate in the read model' });
    await host.close();
    host = undefined;

    // As the build before this migration left it: the certificates without the time entered, the checkpoint at the head.
    await sql.query('DELETE FROM certification.migrations WHERE name = $1', [new CertificatesRecordedAt().name]);
    await sql.query('DROP INDEX certification.certificates_by_evaluator_recorded');
    await sql.query('ALTER TABLE certification.certificates DROP COLUMN recorded_at');
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('fills the time each certificate was entered in place, from the log, and the next start answers it', async () => {
    await migrate(database.url, 'certification', serviceMigrations({ migrations: certificationMigrations }));
    const { rows } = await sql.query(
      `SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at FROM certification.events WHERE event_type = 'LevelCertified' AND data->>'traineeId' = $1`,
      [traineeId],
    );
    // The table was kept, its checkpoint too: nothing to replay.
    expect((await sql.query("SELECT 1 FROM certification.projection_checkpoints WHERE projection = 'certificates'")).rowCount).toBe(1);
    const filled = await sql.query(`SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at FROM certification.certificates WHERE trainee_id = $1`, [traineeId]);
    expect(filled.rows).toEqual([{ recorded_at: rows[0].recorded_at }]);

    host = await startTestHost({ modules: [CertificationModule], transport: 'in-process', databaseUrl: database.url });
    expect(await certificates()).toEqual([expect.objectContaining({ recordedAt: rows[0].recorded_at })]);
  });
});
