// The signing worker's signAll, with the real worker and libraries: the same credentials as signed one
// by one, and each one verifies with the library's own verifier.
import { randomUUID } from 'node:crypto';
import { credentialSigner, JsonDocument, SigningKey } from './credential-signer';

const DID = 'did:web:skills.example.cn:evaluators:probe';
const CREATED = '2021-06-01T08:00:00Z';

const credentialOf = (n: number): JsonDocument => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: `urn:uuid:${randomUUID()}`,
  type: ['VerifiableCredential'],
  issuer: DID,
  validFrom: CREATED,
  credentialSubject: { id: `urn:uuid:${randomUUID()}`, name: `probe ${n}` },
});

describe('credentialSigner.signAll: many credentials by one key in one call', () => {
  let key: SigningKey;
  let didDocument: JsonDocument;

  beforeAll(async () => {
    const pair = await credentialSigner.generateKey();
    key = { id: `${DID}#key-1`, controller: DID, ...pair };
    const method = { id: key.id, type: 'Multikey', controller: DID, publicKeyMultibase: pair.publicKeyMultibase };
    didDocument = { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: DID, verificationMethod: [method], assertionMethod: [method.id] };
  });

  afterAll(async () => {
    await credentialSigner.close();
  });

  it('signs each as sign does, byte for byte (Ed25519 is deterministic), and each verifies', async () => {
    const credentials = [credentialOf(1), credentialOf(2), credentialOf(3)];
    const together = await credentialSigner.signAll(credentials, key, CREATED);
    const oneByOne = await Promise.all(credentials.map((credential) => credentialSigner.sign(credential, key, CREATED)));
    expect(together).toEqual(oneByOne);
    expect(new Set(together.map((signed) => (signed.proof as Array<{ proofValue: string }>)[0].proofValue)).size).toBe(3);
    for (const signed of together) expect(await credentialSigner.libraryVerify(signed, { didDocuments: [didDocument], statusLists: [] })).toMatchObject({ verified: true });
    // One character of a claim changed: the signature no longer holds.
    const changed = { ...together[0], credentialSubject: { ...(together[0].credentialSubject as object), name: 'probe 9' } };
    expect(await credentialSigner.libraryVerify(changed, { didDocuments: [didDocument], statusLists: [] })).toMatchObject({ verified: false });
  });
});
