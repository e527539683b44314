import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { InvalidInput, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { PublicCertificates } from '../../ladder/verify-certificate/public-certificates';
import { statusListOfUrl } from '../issue/credential-document';
import { issuedCredential } from '../issue/credentials.projection';
import { StatusLists } from '../issue/status-lists';
import { evaluatorOfDid } from '../keys/evaluator-did';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner, JsonDocument, VerificationCheck, VerificationResult } from '../signing/credential-signer';

/** Credentials issued here are about 3 KiB; the service's body limit alone would let far larger ones be canonicalised. */
const LARGEST_CREDENTIAL = 16 * 1024;

/**
 * POST /api/v1/credentials/verify: the credentials worker's checks (the offline tool's too: the form
 * issued here first, then signature, issuer, status and dates), with what this platform knows of the
 * issuer: its DID document and its status list, read from the database, never fetched. An issuer that is
 * not one of this platform's evaluators is not known, and fails the issuer check.
 *
 * A credential whose signature and issuer hold is then held to the platform's own record: it must be,
 * as canonical JSON, the very credential stored when its certificate was signed (nothing of it may
 * differ: a credential is signed once, and a rebuild signs the same bytes), or the issuer check fails. So
 * a key that signed something else (a retired key, or one that leaked) vouches for nothing here. And the
 * status list is signed again by a projection, moments after a revocation (or not at all while its event
 * is parked): the certificate's own record, its ladder, is read too, so a revoked certificate fails at once.
 */
@Injectable()
export class CredentialVerification {
  constructor(
    private readonly database: Database,
    private readonly keys: SigningKeys,
    private readonly lists: StatusLists,
    private readonly certificates: PublicCertificates,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async verify(credential: JsonDocument): Promise<VerificationResult> {
    // A credential issued here is a few kilobytes; canonicalising a far larger one is work nobody needs.
    if (JSON.stringify(credential).length > LARGEST_CREDENTIAL) {
      throw new InvalidInput([{ field: 'credential', rule: 'too_large', message: `a credential issued here is a few kilobytes; this one is over ${LARGEST_CREDENTIAL / 1024} KiB` }]);
    }
    // The issuer's DID document, and the document of the key that signed if it is another evaluator's of
    // this platform: a credential signed by the wrong evaluator then fails the issuer check by itself.
    const issuer = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | undefined)?.id;
    const signer = String((([credential.proof ?? []].flat()[0] ?? {}) as { verificationMethod?: unknown }).verificationMethod ?? '').split('#')[0];
    const evaluatorIds = [...new Set([issuer, signer].map((did) => (typeof did === 'string' ? evaluatorOfDid(this.config.publicOrigin, did) : undefined)).filter((id): id is string => id !== undefined))];
    const didDocuments = (await Promise.all(evaluatorIds.map((id) => this.keys.didDocument(this.database, id)))).filter((document): document is JsonDocument => document !== undefined);
    const statusList = await this.statusListOf(credential);
    const result = await credentialSigner.verify(credential, { didDocuments, statusLists: statusList ? [statusList] : [] });
    return this.heldToTheRecord(credential, result);
  }

  /**
   * A credential whose signature and issuer hold (it is then in the form issued here: the worker checked
   * that first) against what this platform recorded: the credential stored for the certificate it names,
   * and that certificate's own status. Anything else already fails, and is answered as the worker found it.
   */
  private async heldToTheRecord(credential: JsonDocument, result: VerificationResult): Promise<VerificationResult> {
    const passed = (check: VerificationCheck['check']) => result.checks.find((each) => each.check === check)?.passed === true;
    if (!passed('signature') || !passed('issuer')) return result;
    const failing = (check: VerificationCheck['check'], detail: string): VerificationResult => ({
      verified: false,
      checks: result.checks.map((each) => (each.check === check ? { ...each, passed: false, detail } : each)),
    });
    const issuer = String((credential.issuer as { id: string }).id);
    const number = (credential.credentialSubject as { licenseNumber?: string }).licenseNumber;
    if (number === undefined) return failing('issuer', `${issuer} signed it, but it names no certificate (credentialSubject.licenseNumber): this platform issued no such credential`);
    const issued = await issuedCredential(this.database, number);
    if (!issued) return failing('issuer', `${issuer} signed it, but this platform issued no credential of a certificate ${number}`);
    if (canonicalJson(issued) !== canonicalJson(credential)) return failing('issuer', `${issuer} signed it, but it is not the credential this platform issued for certificate ${number}`);
    const certificate = await this.certificates.statusOf(number);
    if (!certificate) return failing('status', `no record of certificate ${number} is found`);
    if (certificate.status !== 'revoked' || !passed('status')) return result;
    return failing('status', `revoked on ${certificate.revokedOn}: the certificate's record says so (its status list is signed again moments later)`);
  }

  /** The list the credential's status entry names, if it is one of this platform's. */
  private async statusListOf(credential: JsonDocument): Promise<JsonDocument | undefined> {
    const url = (credential.credentialStatus as { statusListCredential?: unknown } | undefined)?.statusListCredential;
    const list = typeof url === 'string' ? statusListOfUrl(this.config.publicOrigin, url) : undefined;
    return list && this.lists.find(this.database, list.evaluatorId, list.listNumber);
  }
}

/** JSON with every object's keys in order: the same document however its keys were sent (or stored: jsonb orders them its own way). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
