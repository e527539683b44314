import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { InvalidInput, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { verificationUrlOf } from '@skills/contracts';
import { PublicCertificates } from '../../ladder/verify-certificate/public-certificates';
import { StatusLists } from '../issue/status-lists';
import { evaluatorOfDid } from '../keys/evaluator-did';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner, JsonDocument, VerificationCheck, VerificationResult } from '../signing/credential-signer';

/** Credentials issued here are about 3 KiB; the service's body limit alone would let far larger ones be canonicalised. */
const LARGEST_CREDENTIAL = 16 * 1024;

/**
 * POST /api/v1/credentials/verify: the credentials worker's checks, with what this platform knows of
 * the issuer: its DID document and its status list, read from the database, never fetched. An issuer
 * that is not one of this platform's evaluators is not known, and fails the issuer check. The status list
 * is signed again by a projection, moments after a revocation (or not at all while its event is parked):
 * the certificate's own record, its ladder, is read too, so a revoked certificate fails at once.
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
    return this.withRevocationsRecorded(credential, result);
  }

  /**
   * The status check failed too when the certificate's record says revoked and its list does not yet.
   * Only for a credential whose signature and issuer hold: its number is then one this platform signed.
   */
  private async withRevocationsRecorded(credential: JsonDocument, result: VerificationResult): Promise<VerificationResult> {
    const passed = (check: VerificationCheck['check']) => result.checks.find((each) => each.check === check)?.passed === true;
    const number = (credential.credentialSubject as { licenseNumber?: unknown } | undefined)?.licenseNumber;
    if (!passed('signature') || !passed('issuer') || !passed('status') || typeof number !== 'string') return result;
    if (credential.id !== verificationUrlOf(this.config.publicOrigin, number)) return result;
    const certificate = await this.certificates.statusOf(number);
    if (certificate?.status !== 'revoked') return result;
    const checks = result.checks.map((each) =>
      each.check === 'status' ? { ...each, passed: false, detail: `revoked on ${certificate.revokedOn}: the certificate's record says so (its status list is signed again moments later)` } : each,
    );
    return { verified: false, checks };
  }

  /** The list the credential's status entry names, if it is one of this platform's. */
  private async statusListOf(credential: JsonDocument): Promise<JsonDocument | undefined> {
    const url = (credential.credentialStatus as { statusListCredential?: unknown } | undefined)?.statusListCredential;
    if (typeof url !== 'string' || !url.startsWith(`${this.config.publicOrigin}/api/v1/evaluators/`)) return undefined;
    const match = /\/api\/v1\/evaluators\/([0-9a-f-]{36})\/status-lists\/(\d{1,6})$/.exec(url);
    return match ? this.lists.find(this.database, match[1], Number(match[2])) : undefined;
  }
}
