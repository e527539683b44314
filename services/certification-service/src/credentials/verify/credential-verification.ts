import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { InvalidInput, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { PublicCertificates } from '../../ladder/verify-certificate/public-certificates';
import { LevelCertified } from '../../ladder/ladder.aggregate';
import { credentialOf, occupationLabelsOf, statusListOfUrl } from '../issue/credential-document';
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
 * A credential whose signature and issuer hold is then held to the platform's own record: without its
 * proof, it must be, as canonical JSON, a credential this platform issued for the certificate it names, or
 * the issuer check fails. So a key that signed something else (a retired key, or one that leaked) vouches
 * for nothing here: not a made-up number, nor another holder id, level, occupation, date, issuer or status
 * entry. Not only the one stored now: a rebuild (and a restore) signs each credential again from the log,
 * and what it reads beside the log, the occupations table, grows, so a credential held since may show its
 * occupation by its code where the one stored now names it (see `asIssued`). The proof is not compared:
 * the signature check verified it, by a key the issuer's DID document lists. And the status list is signed
 * again by a projection, moments after a revocation (or not at all while its event is parked): the
 * certificate's own record, its ladder, is read too, so a revoked certificate fails at once.
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
    const stored = await issuedCredential(this.database, number);
    if (!stored) return failing('issuer', `${issuer} signed it, but this platform issued no credential of a certificate ${number}`);
    const certificate = (await this.certificates.issued(number))?.certificate;
    if (!(await this.asIssued(number, stored, certificate)).has(canonicalJson(withoutProof(credential)))) {
      return failing('issuer', `${issuer} signed it, but it is not the credential this platform issued for certificate ${number}`);
    }
    if (!certificate) return failing('status', `no record of certificate ${number} is found`);
    if (certificate.status !== 'revoked' || !passed('status')) return result;
    return failing('status', `revoked on ${certificate.revokedOn}: the certificate's record says so (its status list is signed again moments later)`);
  }

  /**
   * The credentials this platform may have handed out for the certificate, each without its proof, as
   * canonical JSON: the one stored now, and the one credential-document makes of the certificate's record
   * (its LevelCertified, from the log) and its holder id and status entry, with the occupation in each of
   * the words it may have been shown by (occupationLabelsOf: its name, or its code from before the table
   * named it). Every other field is as the record makes it, so a field credentialOf adds later is compared
   * too; and the level's words are the record's level's, so a credential that names another level fails.
   */
  private async asIssued(number: string, stored: JsonDocument, certificate: LevelCertified['data'] | undefined): Promise<Set<string>> {
    const allocation = certificate && (await this.lists.allocationOf(this.database, number, certificate.recording ?? 1));
    const remade = certificate && allocation ? occupationLabelsOf(certificate.occupationCode).map((occupation) => credentialOf(this.config.publicOrigin, certificate, allocation, occupation)) : [];
    return new Set([stored, ...remade].map((each) => canonicalJson(withoutProof(each))));
  }

  /** The list the credential's status entry names, if it is one of this platform's. */
  private async statusListOf(credential: JsonDocument): Promise<JsonDocument | undefined> {
    const url = (credential.credentialStatus as { statusListCredential?: unknown } | undefined)?.statusListCredential;
    const list = typeof url === 'string' ? statusListOfUrl(this.config.publicOrigin, url) : undefined;
    return list && this.lists.find(this.database, list.evaluatorId, list.listNumber);
  }
}

/** The credential's claims: everything its proof signs. */
function withoutProof(credential: JsonDocument): JsonDocument {
  const { proof: _proof, ...claims } = credential;
  return claims;
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
