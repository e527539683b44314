// The credentials worker's verify (POST /credentials/verify and the offline tool both run it), with the
// real worker and libraries: a credential not in the form issued here is refused before any check, even
// where its signature holds (the same RDF graph re-expressed in other JSON), since the checks read the JSON.
import { randomUUID } from 'node:crypto';
import { LevelCertified } from '../../ladder/ladder.aggregate';
import { credentialOf, statusListUrl } from '../issue/credential-document';
import { evaluatorDid } from '../keys/evaluator-did';
import { credentialSigner, JsonDocument, VerificationContext } from './credential-signer';

const ORIGIN = 'https://skills.example.cn';
const NUMBER = 'S000143020021000001';
const CREATED = '2021-06-01T08:00:00Z';

type Credential = JsonDocument & { '@context': unknown[]; credentialSubject: Record<string, unknown>; credentialStatus: Record<string, unknown> };

describe('verifying a credential: only one in the form issued here is checked', () => {
  const evaluatorId = randomUUID();
  const did = evaluatorDid(ORIGIN, evaluatorId);
  let issued: Credential;
  let context: VerificationContext;

  beforeAll(async () => {
    const pair = await credentialSigner.generateKey();
    const key = { id: `${did}#key-1`, controller: did, ...pair };
    const method = { id: key.id, type: 'Multikey', controller: did, publicKeyMultibase: pair.publicKeyMultibase };
    const didDocument = { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did, verificationMethod: [method], assertionMethod: [method.id] };
    // The certificate's entry (4) is set: revoked, so a way round the status check would show.
    const list = await credentialSigner.statusList({ id: statusListUrl(ORIGIN, evaluatorId, 0), issuer: did, length: 131_072, revoked: [4], validFrom: '2020-01-01T00:00:00Z', key, created: CREATED });
    context = { didDocuments: [didDocument], statusLists: [list] };
    const certificate = { certificateNumber: NUMBER, evaluatorId, evaluatorName: '湖南省焊接协会', occupationCode: '6-18-02-04', level: 'junior', certifiedOn: '2021-06-01' } as LevelCertified['data'];
    issued = (await credentialSigner.sign(credentialOf(ORIGIN, certificate, { subjectId: randomUUID(), listNumber: 0, listIndex: 4 }), key, CREATED)) as Credential;
  });

  afterAll(async () => {
    await credentialSigner.close();
  });

  const changed = (change: (credential: Credential) => void): Credential => {
    const credential = structuredClone(issued);
    change(credential);
    return credential;
  };
  const passedOf = async (credential: unknown, with_ = context) => Object.fromEntries((await credentialSigner.verify(credential, with_)).checks.map((each) => [each.check, each.passed]));

  it('checks a credential as issued: its signature, issuer and dates hold, and its entry says revoked', async () => {
    expect(await passedOf(issued)).toEqual({ signature: true, issuer: true, status: false, dates: true });
  });

  // The same signed graph in other JSON: the library's own verifier takes each, and reads the list entry
  // only where the JSON says so; the checks of this platform would read other values, or none.
  it.each<[string, (credential: Credential) => void]>([
    ['an inline context aliasing a term to @id, the id under it', (credential) => {
      credential['@context'].push({ verificationUrl: '@id' });
      credential.verificationUrl = credential.id;
      delete credential.id;
    }],
    ['@id written for id', (credential) => {
      credential['@id'] = credential.id;
      delete credential.id;
    }],
    ['the licenseNumber as a one-item array', (credential) => {
      credential.credentialSubject.licenseNumber = [credential.credentialSubject.licenseNumber];
    }],
    ['the licenseNumber under an inline alias of its IRI', (credential) => {
      credential['@context'].push({ certificate: 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#licenseNumber' });
      credential.credentialSubject.certificate = credential.credentialSubject.licenseNumber;
      delete credential.credentialSubject.licenseNumber;
    }],
    ['the licenseNumber under its IRI', (credential) => {
      credential.credentialSubject['https://purl.imsglobal.org/spec/vc/ob/vocab.html#licenseNumber'] = credential.credentialSubject.licenseNumber;
      delete credential.credentialSubject.licenseNumber;
    }],
    ['the status entry as a one-item list', (credential) => {
      credential.credentialStatus = [credential.credentialStatus] as unknown as Credential['credentialStatus'];
    }],
  ])('refuses the same signed graph re-expressed: %s', async (_, change) => {
    const rewritten = changed(change);
    expect(await credentialSigner.libraryVerify(rewritten, context)).toMatchObject({ verified: true });
    const answer = await credentialSigner.verify(rewritten, context);
    expect(answer.verified).toBe(false);
    expect(answer.checks.map((each) => [each.check, each.passed])).toEqual([['signature', false], ['issuer', false], ['status', false], ['dates', false]]);
    expect(answer.checks[0].detail).toMatch(/^not checked: not a credential as issued here/);
  });

  it.each<[string, (credential: Credential) => void]>([
    ['a context of its own', (credential) => credential['@context'].push({ '@vocab': 'https://example.com/#' })],
    ['only the VC 2.0 context', (credential) => credential['@context'].pop()],
    ['a nested @context', (credential) => (credential.credentialSubject['@context'] = { note: 'https://example.com/#note' })],
    ['@type written for the status entry’s type', (credential) => {
      credential.credentialStatus['@type'] = credential.credentialStatus.type;
      delete credential.credentialStatus.type;
    }],
    ['a compact IRI for a term', (credential) => ((credential.credentialSubject.achievement as Record<string, unknown>)['schema:keywords'] = 'x')],
    ['a keyword key deep inside', (credential) => ((credential.credentialSubject.achievement as Record<string, unknown>)['@index'] = 'x')],
    ['a statusListIndex that is a number', (credential) => (credential.credentialStatus.statusListIndex = 4)],
    ['a statusListIndex with a leading zero', (credential) => (credential.credentialStatus.statusListIndex = '04')],
    ['an id that is no string', (credential) => (credential.id = [credential.id])],
    ['an issuer given as a string', (credential) => (credential.issuer = did)],
    ['a proof that is no list', (credential) => (credential.proof = (credential.proof as unknown[])[0])],
  ])('refuses a credential with %s before any check', async (_, change) => {
    expect(await passedOf(changed(change))).toEqual({ signature: false, issuer: false, status: false, dates: false });
  });

  it('refuses what is no credential at all, checks failed rather than an error', async () => {
    for (const credential of [null, 'a credential', [issued], {}]) expect(await passedOf(credential)).toEqual({ signature: false, issuer: false, status: false, dates: false });
  });

  it('reads no entry from a status list not in the form signed here', async () => {
    const [list] = context.statusLists as Array<JsonDocument & { credentialSubject: Record<string, unknown> }>;
    const rewritten = { ...list, credentialSubject: { ...list.credentialSubject, '@type': 'BitstringStatusList' } };
    const answer = await credentialSigner.verify(issued, { ...context, statusLists: [rewritten] });
    expect(Object.fromEntries(answer.checks.map((each) => [each.check, each.passed]))).toEqual({ signature: true, issuer: true, status: false, dates: true });
    expect(answer.checks.find((each) => each.check === 'status')?.detail).toContain('not as signed here');
  });
});
