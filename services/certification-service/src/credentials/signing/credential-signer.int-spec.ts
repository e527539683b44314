// The signing worker's signAll, with the real worker and libraries: the same credentials as signed one
// by one, and as the library signs them with its own signer; each one verifies with its own verifier.
import { execFileSync } from 'node:child_process';
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

  /** The credential as the libraries sign it with their own signer (`pair.signer()`), in a process of its own: they are ES modules. */
  function signedByTheLibrary(credential: JsonDocument): JsonDocument {
    const script = `
      import * as vc from '@digitalbazaar/vc';
      import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
      import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
      import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
      import { contexts } from '@digitalbazaar/credentials-context';
      const { credential, key, created } = JSON.parse(process.argv[1]);
      const pair = await Ed25519Multikey.from(key);
      const documentLoader = async (url) => ({ contextUrl: null, documentUrl: url, document: contexts.get(url) });
      const suite = new DataIntegrityProof({ signer: pair.signer(), cryptosuite, date: created });
      process.stdout.write(JSON.stringify(await vc.issue({ credential, suite, documentLoader })));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify({ credential, key, created: CREATED })], { cwd: __dirname, encoding: 'utf8' }));
  }

  it("signs as the library's own signer does, byte for byte (Ed25519 is deterministic)", async () => {
    const credential = credentialOf(0);
    const [ours] = await credentialSigner.signAll([credential], key, CREATED);
    const theirs = signedByTheLibrary(credential);
    expect(ours).toEqual({ ...theirs, proof: [theirs.proof] });
  });

  it('signs each as sign does, and each verifies', async () => {
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
