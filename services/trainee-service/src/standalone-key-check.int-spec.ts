// trainee-service deployed on its own (compose, Kubernetes) checks PERSONAL_DATA_KEY and IDENTITY_HASH_KEY at its start as the
// all-in-one does: on data that holds personal data, a key that does not open it stops the process before
// anything migrates or writes (a typo in a Secret would otherwise seal new trainees under a key that opens
// none of the others).
import { columnOf, runServiceMain, startServiceSpec, ServiceSpec, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from './trainee.module';

/** trainee-service's own main, as a container runs it. */
const runMain = (env: Record<string, string>) => runServiceMain('trainee-service', env);

describe('trainee-service on its own refuses a PERSONAL_DATA_KEY that does not open its data, and an IDENTITY_HASH_KEY that does not match it', () => {
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', token: { role: 'platform_admin' } });
    await service.spec.when('POST', '/api/v1/trainees', { name: '钥匙检查', idNumber: testIdentityNumber(7301), phone: '13800000000' }).then(201);
    // Stopped, its database kept: what a container started again finds.
    await service.host.close();
  }, 60_000);

  afterAll(async () => {
    // The spec's own connection first: dropping the database ends it, which its client would raise.
    await service?.spec.close();
    await service?.database.drop();
  });

  it('exits at once, saying why, with another key, and with the development key unless allowed', async () => {
    const events = () => columnOf(service.database.url, 'SELECT count(*)::text AS value FROM trainee.events');
    const before = await events();
    const wrong = await runMain({ DATABASE_URL: service.database.url, PERSONAL_DATA_KEY: 'not-the-key-of-this-data' });
    expect(wrong).toEqual({ code: 1, output: expect.stringContaining('refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with') });
    const unset = await runMain({ DATABASE_URL: service.database.url });
    expect(unset).toEqual({ code: 1, output: expect.stringContaining('refusing to start: this data holds personal data and PERSONAL_DATA_KEY is not set') });
    // Its database named as its own (TRAINEE_DATABASE_URL), as a deployment of several databases may.
    const named = await runMain({ TRAINEE_DATABASE_URL: service.database.url, PERSONAL_DATA_KEY: 'not-the-key-of-this-data' });
    expect(named).toEqual({ code: 1, output: expect.stringContaining('refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with') });
    // The personal data key right (the development key, allowed), the identity hash key not: the claims would no longer match.
    const hashKey = await runMain({ DATABASE_URL: service.database.url, ALLOW_DEVELOPMENT_KEY: '1', IDENTITY_HASH_KEY: 'not-the-hash-key-of-this-data' });
    expect(hashKey).toEqual({ code: 1, output: expect.stringContaining("refusing to start: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with") });
    // Nothing written: no migration ran, no check value was stored (services sharing a database may each have a key).
    expect(await events()).toEqual(before);
    expect(await columnOf(service.database.url, "SELECT coalesce(to_regclass('platform.master_key_check')::text, 'none') AS value")).toEqual(['none']);
  }, 150_000);
});
