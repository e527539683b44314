// Certificates as signed, verifiable credentials (api.md, Credentials) on one host with trainee- and
// certification-service: each certification's credential is signed after it commits, verifies with the
// library's own verifier and against the vendored 1EdTech Open Badges 3.0 schema, and fails with the
// check named when changed or signed with another evaluator's key; a revocation reaches the status list
// while the signature still holds; a rotated key keeps earlier credentials verifiable; no name, identity
// number or phone is in any credential or status list. A credential held before a rebuild signed it again
// with its occupation's new name keeps verifying; one that differs from the record in anything else fails.
import { CertificationModule, credentialSigner, JsonDocument } from '@skills/certification-service';
import { masterKeyFromEnvironment, Sealed, ServiceRegistry, unseal } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testCreditCode, testIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import Ajv2019 from 'ajv8/dist/2019';
import addFormats from 'ajv-formats';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const WELDER = '6-18-02-04';
/** A code the occupations table has no name for: a test names it, as a later edition of the table would. */
const UNNAMED = '4-10-01-01';
const mockOccupationNamesAdded = new Map<string, string>();
jest.mock('@skills/domain-kernel', () => {
  const actual = jest.requireActual('@skills/domain-kernel');
  return { ...actual, occupationLabel: (code: string, locale?: string) => ((locale ?? 'zh-CN') === 'zh-CN' && mockOccupationNamesAdded.get(code)) || actual.occupationLabel(code, locale) };
});
/** The 1EdTech Open Badges 3.0 AchievementCredential schema, vendored with its source (schema/SOURCE.md). */
const OB_SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'services/certification-service/src/credentials/schema/ob_v3p0_achievementcredential_schema.json'), 'utf8'));
type Document = Record<string, unknown> & { proof?: Array<Record<string, unknown>>; credentialStatus?: { statusListCredential: string } };

describe('credentials: signed after each certification, verifiable offline, revocable by status list', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let admin: Record<string, string>;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const person = { name: '凭证持有人', idNumber: testAdultIdentityNumber(183_001), phone: '13712345678' };
  const call = (method: string, path: string, body?: unknown, headers = admin) => http(host.baseUrl, method, path, body, headers);
  /** A URL the platform wrote (under PUBLIC_ORIGIN), fetched from this host. */
  const fetchIssued = async (url: string) => (await call('GET', new URL(url).pathname, undefined, {})).body as Document;

  const evaluatorOf = async (name: string, n: number) => {
    const made = await call('POST', '/api/v1/evaluators', { name, creditCode: testCreditCode(n), kind: 'social_organisation', regionCode: '430200' });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    return { id, staff: bearer(await issuer.token({ role: 'evaluator_staff', organisationId: id })), admin: bearer(await issuer.token({ role: 'evaluator_staff', organisationId: id, orgAdmin: true })) };
  };
  type Evaluator = Awaited<ReturnType<typeof evaluatorOf>>;

  /** A certification of the person, and its credential once signed. */
  const certified = async (by: Evaluator, traineeId: string, level: string, certifiedOn: string, occupationCode = WELDER) => {
    const answer = await call('POST', '/api/v1/certifications', { traineeId, occupationCode, level, route: 'assessment', evaluatorId: by.id, certifiedOn }, by.staff);
    expect(answer.status).toBe(201);
    const number = answer.body.certificateNumber as string;
    const credential = await call('GET', `/api/v1/certificates/${number}/credential?consistent=true`, undefined, {});
    expect(credential.status).toBe(200);
    return { number, credential: credential.body as Document };
  };

  /** What an offline verifier holds: the issuer's DID document and the status list the credential names. */
  const offline = async (credential: Document) => ({
    didDocuments: [(await call('GET', `/evaluators/${evaluatorIdOf(credential)}/did.json`, undefined, {})).body as JsonDocument],
    statusLists: [await fetchIssued((credential.credentialStatus as { statusListCredential: string }).statusListCredential)],
  });
  const evaluatorIdOf = (credential: Document) => String((credential.issuer as { id: string }).id).split(':').pop();
  const verified = async (credential: unknown) => (await call('POST', '/api/v1/credentials/verify', { credential }, {})).body as { verified: boolean; checks: Array<{ check: string; passed: boolean; detail: string }> };
  const checksOf = (answer: Awaited<ReturnType<typeof verified>>) => Object.fromEntries(answer.checks.map((each) => [each.check, each.passed]));

  let ours: Evaluator;
  let theirs: Evaluator;
  let traineeId: string;
  let first: Awaited<ReturnType<typeof certified>>;

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    // Every credential, QR code and verification here counts against the per-address verification limit (60 a
    // minute by default), and a revocation is waited for by verifying again: well above what one run asks.
    host = await startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, settings: { VERIFY_RATE_LIMIT_PER_MINUTE: '1000' } });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    [ours, theirs] = [await evaluatorOf('湖南省焊接协会', 1801), await evaluatorOf('湖南省陶瓷协会', 1802)];
    const registered = await call('POST', '/api/v1/trainees', person);
    expect(registered.status).toBe(201);
    traineeId = registered.body.id;
    first = await certified(ours, traineeId, 'junior', '2021-06-01');
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it("verifies with the library's own verifier and with POST /credentials/verify, and is an Open Badges 3.0 AchievementCredential of the VC 2.0 edition", async () => {
    const { credential, number } = first;
    expect(credential).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      id: expect.stringMatching(new RegExp(`/verify/${number}$`)),
      validFrom: '2021-06-01T00:00:00+08:00',
      credentialSubject: { licenseNumber: number, achievement: { name: '焊工（初级工）' } },
      proof: [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' }],
    });
    expect(String(credential.credentialSubject && (credential.credentialSubject as { id: string }).id)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(await credentialSigner.libraryVerify(credential, await offline(credential))).toEqual({ verified: true, revoked: false });
    expect(await verified(credential)).toMatchObject({ verified: true });
    expect(checksOf(await verified(credential))).toEqual({ signature: true, issuer: true, status: true, dates: true });

    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(OB_SCHEMA);
    expect(validate(credential) ? [] : validate.errors).toEqual([]);
  });

  it("fails on one character changed (signature), and on another evaluator's key (issuer)", async () => {
    const changed = structuredClone(first.credential);
    (changed.credentialSubject as { licenseNumber: string }).licenseNumber = first.number.replace(/.$/, (last) => (last === '1' ? '2' : '1'));
    const tampered = await verified(changed);
    expect(tampered.verified).toBe(false);
    expect(checksOf(tampered)).toMatchObject({ signature: false, issuer: true });
    expect(await credentialSigner.libraryVerify(changed, await offline(first.credential))).toMatchObject({ verified: false });

    // The same credential signed with the other evaluator's own key: a good signature, by the wrong issuer.
    const { rows } = await sql.query<{ public_key_multibase: string; sealed_secret: Sealed }>('SELECT public_key_multibase, sealed_secret FROM certification.evaluator_signing_keys WHERE evaluator_id = $1', [theirs.id]);
    const theirDid = String(((await call('GET', `/evaluators/${theirs.id}/did.json`, undefined, {})).body as { id: string }).id);
    const { proof: _proof, ...unsigned } = first.credential;
    const forged = await credentialSigner.sign(unsigned, {
      id: `${theirDid}#key-1`,
      controller: theirDid,
      publicKeyMultibase: rows[0].public_key_multibase,
      secretKeyMultibase: unseal<string>(masterKeyFromEnvironment(), rows[0].sealed_secret),
    });
    const answer = await verified(forged);
    expect(answer.verified).toBe(false);
    expect(checksOf(answer)).toEqual({ signature: true, issuer: false, status: true, dates: true });
    expect(answer.checks.find((each) => each.check === 'issuer')?.detail).toContain(`${theirDid}#key-1`);

    // Nor does a second proof help: the genuine proof beside another evaluator's is no credential issued here.
    const proofSet = { ...forged, proof: [...(first.credential.proof ?? []), ...[forged.proof].flat()] };
    const set = await verified(proofSet);
    expect(checksOf(set)).toMatchObject({ signature: false });
    expect(set.checks.find((each) => each.check === 'signature')?.detail).toContain('exactly one proof');
    expect((await call('POST', '/api/v1/credentials/verify', { credential: { ...first.credential, padding: 'x'.repeat(20_000) } }, {})).body).toMatchObject({ status: 400 });
  });

  it('after a revocation the status list says revoked and verification fails on status, while the signature still verifies', async () => {
    const second = await certified(ours, traineeId, 'intermediate', '2021-09-01');
    expect(checksOf(await verified(second.credential))).toMatchObject({ status: true });
    const listUrl = (second.credential.credentialStatus as { statusListCredential: string }).statusListCredential;
    const before = JSON.stringify(await fetchIssued(listUrl));
    // Meant to be kept a while by caches, unlike the API's other answers (no-store).
    expect((await call('GET', new URL(listUrl).pathname, undefined, {})).headers.get('cache-control')).toBe('public, max-age=300');
    // A list that is no number is the 400 naming it.
    expect(await call('GET', new URL(listUrl).pathname.replace(/\/[0-9]+$/, '/x1'))).toMatchObject({ status: 400, body: { errors: [{ field: 'list', rule: 'matches' }] } });
    expect((await call('POST', `/api/v1/certificates/${second.number}/revocation`, { reason: '材料造假', revokedOn: '2021-10-01' }, ours.staff)).status).toBe(200);
    let answer = await verified(second.credential);
    for (let tries = 0; answer.checks.find((each) => each.check === 'status')?.passed && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await verified(second.credential);
    }
    expect(checksOf(answer)).toEqual({ signature: true, issuer: true, status: false, dates: true });
    expect(answer.checks.find((each) => each.check === 'status')?.detail).toContain('revoked');
    // Verification reads the certificate's own record at once; the list is signed again by a projection,
    // moments later: waited for.
    await waitFor(async () => (JSON.stringify(await fetchIssued(listUrl)) !== before ? true : undefined), { description: 'the status list signed again', timeoutMs: 10_000 });
    // The library's verifier: the proof holds, and the list's entry says revoked.
    expect(await credentialSigner.libraryVerify(second.credential, await offline(second.credential))).toEqual({ verified: true, revoked: true });
    // The first certificate's entry in the same list is untouched.
    expect(checksOf(await verified(first.credential))).toMatchObject({ status: true });

    // Rebuilt from the log (as a restore does), the credentials and the list are the same documents: each
    // is dated by the certification or revocation it records, not by its signing.
    const revokedList = JSON.stringify(await fetchIssued(listUrl));
    const credentialNow = JSON.stringify((await call('GET', `/api/v1/certificates/${second.number}/credential`, undefined, {})).body);
    await host.app.get(ServiceRegistry).get('certification')!.projections.rebuild('certificate-credentials');
    expect(JSON.stringify(await fetchIssued(listUrl))).toEqual(revokedList);
    expect(JSON.stringify((await call('GET', `/api/v1/certificates/${second.number}/credential`, undefined, {})).body)).toEqual(credentialNow);
  });

  it('fails a revoked certificate on status at once, before its status list is signed again', async () => {
    const another = await call('POST', '/api/v1/trainees', { name: '凭证二号', idNumber: testAdultIdentityNumber(183_003), phone: '13712345679' });
    expect(another.status).toBe(201);
    const third = await certified(ours, another.body.id, 'junior', '2021-11-01');
    const listUrl = (third.credential.credentialStatus as { statusListCredential: string }).statusListCredential;
    const projections = host.app.get(ServiceRegistry).get('certification')!.projections;
    // The credentials projection held still, as while it is behind or its event parked: the list is not signed again.
    await projections.stop();
    try {
      const before = JSON.stringify(await fetchIssued(listUrl));
      expect((await call('POST', `/api/v1/certificates/${third.number}/revocation`, { reason: '证书错发', revokedOn: '2021-11-15' }, ours.staff)).status).toBe(200);
      const answer = await verified(third.credential);
      expect(JSON.stringify(await fetchIssued(listUrl))).toEqual(before);
      expect(answer.verified).toBe(false);
      expect(checksOf(answer)).toEqual({ signature: true, issuer: true, status: false, dates: true });
      expect(answer.checks.find((each) => each.check === 'status')?.detail).toContain('revoked on 2021-11-15');
    } finally {
      await projections.start();
    }
    expect(checksOf(await verified(first.credential))).toMatchObject({ status: true });
  });

  it('fails a revoked certificate re-expressed in other JSON of the same signed graph (an inline alias, @id, a one-item array), before its status list is signed again', async () => {
    const another = await call('POST', '/api/v1/trainees', { name: '凭证四号', idNumber: testAdultIdentityNumber(183_004), phone: '13712345680' });
    expect(another.status).toBe(201);
    const fourth = await certified(ours, another.body.id, 'junior', '2021-11-20');
    // Each is the same RDF graph the proof signed: the library's own verifier takes it.
    const rewritten = (credential: Document): Record<string, Document> => {
      const { id, ...rest } = structuredClone(credential) as Document & { '@context': unknown[]; credentialSubject: Record<string, unknown> };
      const subject = rest.credentialSubject;
      return {
        'an inline context aliasing @id': { ...rest, '@context': [...rest['@context'], { verificationUrl: '@id' }], verificationUrl: id },
        '@id for id': { ...rest, '@id': id },
        'a one-item array of the number': { ...rest, id, credentialSubject: { ...subject, licenseNumber: [subject.licenseNumber] } },
        'an inline alias of the number': {
          ...rest,
          id,
          '@context': [...rest['@context'], { certificate: 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#licenseNumber' }],
          credentialSubject: { ...Object.fromEntries(Object.entries(subject).filter(([key]) => key !== 'licenseNumber')), certificate: subject.licenseNumber },
        },
      };
    };
    const projections = host.app.get(ServiceRegistry).get('certification')!.projections;
    await projections.stop();
    try {
      expect((await call('POST', `/api/v1/certificates/${fourth.number}/revocation`, { reason: '证书错发', revokedOn: '2021-11-25' }, ours.staff)).status).toBe(200);
      expect(checksOf(await verified(fourth.credential))).toMatchObject({ signature: true, status: false });
      for (const [form, credential] of Object.entries(rewritten(fourth.credential))) {
        expect({ form, library: await credentialSigner.libraryVerify(credential, await offline(fourth.credential)) }).toMatchObject({ form, library: { verified: true, revoked: false } });
        const answer = await verified(credential);
        expect({ form, verified: answer.verified, checks: checksOf(answer) }).toEqual({ form, verified: false, checks: { signature: false, issuer: false, status: false, dates: false } });
        expect(answer.checks[0].detail).toMatch(/^not checked: not a credential as issued here/);
      }
    } finally {
      await projections.start();
    }
    // Rewritten the same way, a certificate that stands fails too: nothing but the form issued here is checked.
    for (const credential of Object.values(rewritten(first.credential))) expect(await verified(credential)).toMatchObject({ verified: false });
    expect(await verified(first.credential)).toMatchObject({ verified: true });
  });

  it('answers an evaluator or status list id that is no UUID with the checks failed, never a 500', async () => {
    const origin = String(first.credential.id).replace(/\/verify\/[^/]+$/, '');
    const didOf = (id: string) => String((first.credential.issuer as { id: string }).id).replace(/[^:]+$/, id);
    for (const id of ['a'.repeat(36), '-'.repeat(36)]) {
      const answers = [
        await call('POST', '/api/v1/credentials/verify', { credential: { issuer: didOf(id) } }, {}),
        await call('POST', '/api/v1/credentials/verify', { credential: { ...first.credential, issuer: { ...(first.credential.issuer as object), id: didOf(id) } } }, {}),
        await call('POST', '/api/v1/credentials/verify', { credential: { ...first.credential, proof: [{ ...first.credential.proof![0], verificationMethod: `${didOf(id)}#key-1` }] } }, {}),
        await call('POST', '/api/v1/credentials/verify', { credential: { credentialStatus: { statusListCredential: `${origin}/api/v1/evaluators/${id}/status-lists/0` } } }, {}),
        await call('POST', '/api/v1/credentials/verify', { credential: { ...first.credential, credentialStatus: { ...(first.credential.credentialStatus as object), statusListCredential: `${origin}/api/v1/evaluators/${id}/status-lists/0` } } }, {}),
      ];
      for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { verified: false } });
    }
  });

  it("rotating the evaluator's key keeps earlier credentials verifiable; later ones are signed with the new key", async () => {
    expect((await call('POST', `/api/v1/evaluators/${ours.id}/signing-keys`, undefined, ours.staff)).status).toBe(403);
    const rotated = await call('POST', `/api/v1/evaluators/${ours.id}/signing-keys`, undefined, ours.admin);
    expect(rotated).toMatchObject({ status: 201, body: { keyId: expect.stringMatching(/#key-2$/) } });
    const did = (await call('GET', `/evaluators/${ours.id}/did.json`, undefined, {})).body as { assertionMethod: string[] };
    expect(did.assertionMethod).toHaveLength(2);
    expect(await verified(first.credential)).toMatchObject({ verified: true });
    const other = await call('POST', '/api/v1/trainees', { name: '后来者', idNumber: testAdultIdentityNumber(183_002), phone: '13700000002' });
    const later = await certified(ours, other.body.id, 'junior', '2021-10-10');
    expect(String(later.credential.proof?.[0]?.verificationMethod)).toBe(rotated.body.keyId);
    expect(await verified(later.credential)).toMatchObject({ verified: true });

    // Rebuilt after the rotation (as a restore does), each credential is signed with the key of its day again.
    const earlier = JSON.stringify((await call('GET', `/api/v1/certificates/${first.number}/credential`, undefined, {})).body);
    await host.app.get(ServiceRegistry).get('certification')!.projections.rebuild('certificate-credentials');
    expect(JSON.stringify((await call('GET', `/api/v1/certificates/${first.number}/credential`, undefined, {})).body)).toEqual(earlier);
    expect((await call('GET', `/api/v1/certificates/${later.number}/credential`, undefined, {})).body).toEqual(later.credential);
  });

  it('fails a credential signed with a retired key that is not one this platform issued: a made-up certificate, or a real one changed', async () => {
    // The first key of ours, retired by the rotation above: still in the DID document, so what it signed verifies.
    const { rows } = await sql.query<{ public_key_multibase: string; sealed_secret: Sealed; retired_at: Date | null }>(
      'SELECT public_key_multibase, sealed_secret, retired_at FROM certification.evaluator_signing_keys WHERE evaluator_id = $1 AND key_number = 1',
      [ours.id],
    );
    expect(rows[0].retired_at).not.toBeNull();
    const did = String((first.credential.issuer as { id: string }).id);
    const retiredKey = { id: `${did}#key-1`, controller: did, publicKeyMultibase: rows[0].public_key_multibase, secretKeyMultibase: unseal<string>(masterKeyFromEnvironment(), rows[0].sealed_secret) };
    const { proof: _proof, ...unsigned } = structuredClone(first.credential);
    const subject = unsigned.credentialSubject as Record<string, unknown>;
    const status = unsigned.credentialStatus as unknown as Record<string, string>;
    /** The first credential with every `from` in its JSON written `to`, for each pair. */
    const rewritten = (...pairs: Array<[string, string]>): JsonDocument => JSON.parse(pairs.reduce((json, [from, to]) => json.split(from).join(to), JSON.stringify(unsigned)));
    const madeUp = first.number.replace(/[0-9]{4}$/, (serial) => String((Number(serial) + 5000) % 10_000).padStart(4, '0'));
    const unusedEntry = '99999';
    const forgeries: Array<[string, string, JsonDocument]> = [
      // A certificate never issued, on the first certificate's status entry (which stands).
      ['a made-up number', madeUp, { ...unsigned, id: String(unsigned.id).replace(first.number, madeUp), credentialSubject: { ...subject, licenseNumber: madeUp } }],
      // The first certificate, at a level it does not have: in its name, then in its achievement too.
      ['another level in its name', first.number, { ...unsigned, name: String(unsigned.name).replace('初级工', '高级技师') }],
      ['another level', first.number, rewritten(['初级工', '高级技师'], [`/${WELDER}/junior`, `/${WELDER}/senior_technician`])],
      ['another occupation', first.number, rewritten(['焊工', '电工'], [WELDER, '6-31-01-03'])],
      ['its occupation by a name the table never gave it', first.number, rewritten(['焊工', '电焊工'])],
      ['another holder', first.number, { ...unsigned, credentialSubject: { ...subject, id: 'urn:uuid:00000000-0000-4000-8000-000000000001' } }],
      ['another date', first.number, rewritten(['2021-06-01', '2020-06-01'])],
      ['another issuer name', first.number, { ...unsigned, issuer: { ...(unsigned.issuer as object), name: '湖南省人力资源和社会保障厅' } }],
      [
        'another status entry (one that stands)',
        first.number,
        { ...unsigned, credentialStatus: { ...status, id: status.id.replace(/#[0-9]+$/, `#${unusedEntry}`), statusListIndex: unusedEntry } },
      ],
      ['a field added', first.number, { ...unsigned, validUntil: '2099-12-31T00:00:00+08:00' }],
    ];
    for (const [what, number, forgery] of forgeries) {
      const signed = await credentialSigner.sign(forgery, retiredKey);
      expect({ what, library: await credentialSigner.libraryVerify(signed, await offline(first.credential)) }).toEqual({ what, library: { verified: true, revoked: false } });
      const answer = await verified(signed);
      expect({ what, verified: answer.verified, checks: checksOf(answer) }).toEqual({ what, verified: false, checks: { signature: true, issuer: false, status: true, dates: true } });
      expect(answer.checks.find((each) => each.check === 'issuer')?.detail).toContain(`certificate ${number}`);
    }
    expect(await verified(first.credential)).toMatchObject({ verified: true });
    // The very claims of the record under another proof of a listed key: the proof is the signature check's, not the record's.
    expect(await verified(await credentialSigner.sign(unsigned, retiredKey, '2021-07-01T00:00:00Z'))).toMatchObject({ verified: true });
  });

  it('keeps verifying a credential its holder downloaded before a rebuild signed it again with its occupation’s new name', async () => {
    const holder = await call('POST', '/api/v1/trainees', { name: '凭证五号', idNumber: testAdultIdentityNumber(183_006), phone: '13712345682' });
    expect(holder.status).toBe(201);
    const held = await certified(ours, holder.body.id, 'junior', '2021-12-01', UNNAMED);
    expect(held.credential).toMatchObject({ name: `职业技能等级证书：${UNNAMED}（初级工）`, credentialSubject: { achievement: { fieldOfStudy: UNNAMED, humanCode: UNNAMED } } });
    expect(checksOf(await verified(held.credential))).toEqual({ signature: true, issuer: true, status: true, dates: true });
    const projections = host.app.get(ServiceRegistry).get('certification')!.projections;
    // The occupations table grows (occupations.ts), and a rebuild (or a restore) signs the credential again with the name.
    mockOccupationNamesAdded.set(UNNAMED, '机械设备维修工');
    try {
      await projections.rebuild('certificate-credentials');
      const rebuilt = (await call('GET', `/api/v1/certificates/${held.number}/credential`, undefined, {})).body as Document;
      const { credentialSubject, credentialStatus, validFrom } = held.credential as Document & { credentialSubject: { id: string } };
      expect(rebuilt).toMatchObject({
        name: '职业技能等级证书：机械设备维修工（初级工）',
        validFrom,
        credentialSubject: { id: credentialSubject.id, licenseNumber: held.number, achievement: { fieldOfStudy: '机械设备维修工', humanCode: UNNAMED } },
        credentialStatus,
      });
      expect(rebuilt.proof).not.toEqual(held.credential.proof);
      // Each verifies: the one downloaded since, and the one held from before, which differs in its occupation's words alone.
      expect(checksOf(await verified(rebuilt))).toEqual({ signature: true, issuer: true, status: true, dates: true });
      const answer = await verified(held.credential);
      expect({ verified: answer.verified, checks: checksOf(answer) }).toEqual({ verified: true, checks: { signature: true, issuer: true, status: true, dates: true } });
    } finally {
      mockOccupationNamesAdded.delete(UNNAMED);
    }
  });

  it('verifies offline with npm run verify-credential, given the DID document and the status list, and names the failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credential-'));
    const { didDocuments, statusLists } = await offline(first.credential);
    const changed = structuredClone(first.credential);
    changed.name = `${String(changed.name)}。`;
    // The same signed graph with `@id` for `id`: its signature holds, but the tool checks only the form issued here.
    const { id, ...rest } = first.credential;
    const reexpressed = { ...rest, '@id': id };
    for (const [file, document] of Object.entries({ 'credential.json': first.credential, 'changed.json': changed, 'reexpressed.json': reexpressed, 'did.json': didDocuments[0], 'list.json': statusLists[0] })) {
      writeFileSync(join(dir, file), JSON.stringify(document));
    }
    const cli = (file: string) =>
      spawnSync(process.execPath, ['-r', './tools/register.js', 'tools/verify-credential/verify-credential.ts', join(dir, file), '--did', join(dir, 'did.json'), '--status-list', join(dir, 'list.json')], {
        cwd: join(__dirname, '..', '..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
    const good = cli('credential.json');
    expect({ status: good.status, out: good.stdout }).toMatchObject({ status: 0, out: expect.stringMatching(/pass {2}signature[\s\S]*pass {2}issuer[\s\S]*pass {2}status[\s\S]*pass {2}dates[\s\S]*^verified$/m) });
    const bad = cli('changed.json');
    expect({ status: bad.status, out: bad.stdout }).toMatchObject({ status: 1, out: expect.stringMatching(/FAIL {2}signature[\s\S]*NOT verified/) });
    const refused = cli('reexpressed.json');
    expect({ status: refused.status, out: refused.stdout }).toMatchObject({ status: 1, out: expect.stringMatching(/FAIL {2}signature +not checked: not a credential as issued here \(it holds the key @id\)[\s\S]*NOT verified/) });
  }, 120_000);

  it('gives the holder a QR code that carries the verification URL', async () => {
    // Once more if the host closed an idle kept-alive socket just as fetch reused it.
    const qr = () => fetch(`${host.baseUrl}/api/v1/certificates/${first.number}/credential/qr`);
    const answer = await qr().catch(qr);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('image/png');
    const png = PNG.sync.read(Buffer.from(await answer.arrayBuffer()));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(first.credential.id);
  });

  it('holds no name, identity number or phone in any credential or status list', async () => {
    const { rows: credentials } = await sql.query<{ credential: unknown }>('SELECT credential FROM certification.certificate_credentials');
    const { rows: lists } = await sql.query<{ credential: unknown }>('SELECT credential FROM certification.status_list_credentials');
    expect(credentials.length).toBeGreaterThanOrEqual(3);
    const everything = JSON.stringify([...credentials, ...lists]);
    for (const secret of [person.name, person.idNumber, person.idNumber.slice(-6), person.phone, '后来者']) expect(everything).not.toContain(secret);
  });
});

describe('credentials with signing off (CREDENTIAL_SIGNING=off): no certificate has one', () => {
  let database: TestDatabase;
  let host: TestHost;
  let number: string;

  beforeAll(async () => {
    const issuer = await testIssuer();
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    // Read as the host starts (its projections are chosen then): the credentials projection does not run, nor make its table.
    host = await startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, settings: { CREDENTIAL_SIGNING: 'off' } });
    const made = await http(host.baseUrl, 'POST', '/api/v1/evaluators', { name: '湖南省焊接协会', creditCode: testCreditCode(1803), kind: 'social_organisation', regionCode: '430200' }, admin);
    expect(made.status).toBe(201);
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '无凭证者', idNumber: testAdultIdentityNumber(183_005), phone: '13712345681' }, admin);
    expect(registered.status).toBe(201);
    const staff = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: made.body.id }));
    const certification = await http(host.baseUrl, 'POST', '/api/v1/certifications', { traineeId: registered.body.id, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: made.body.id, certifiedOn: '2021-06-01' }, staff);
    expect(certification.status).toBe(201);
    number = certification.body.certificateNumber;
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('answers a certificate’s credential and its QR code 404, as for a certificate without one', async () => {
    expect(await http(host.baseUrl, 'GET', `/api/v1/certificates/${number}`)).toMatchObject({ status: 200, body: { number, status: 'valid' } });
    expect(await http(host.baseUrl, 'GET', `/api/v1/certificates/${number}/credential`)).toMatchObject({ status: 404 });
    expect(await http(host.baseUrl, 'GET', `/api/v1/certificates/${number}/credential?consistent=true`)).toMatchObject({ status: 404 });
    expect(await http(host.baseUrl, 'GET', `/api/v1/certificates/${number}/credential/qr`)).toMatchObject({ status: 404 });
  });

  it('is refused at start on data whose certificates hold signed credentials (their status lists would stop following revocations), and any value but on or off is refused', async () => {
    await host.close();
    const signed = await startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, settings: { CREDENTIAL_SIGNING: 'on' } });
    try {
      // Signing on again: the certificate made while it was off gets its credential.
      expect(await http(signed.baseUrl, 'GET', `/api/v1/certificates/${number}/credential?consistent=true`)).toMatchObject({ status: 200 });
    } finally {
      await signed.close();
    }
    const startWith = (value: string) => startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, settings: { CREDENTIAL_SIGNING: value } });
    await expect(startWith('off')).rejects.toThrow('CREDENTIAL_SIGNING=off on data whose certificates hold signed credentials');
    await expect(startWith('OFF')).rejects.toThrow('CREDENTIAL_SIGNING must be "on" or "off" (got "OFF")');
    host = await startWith('on');
  }, 120_000);
});
