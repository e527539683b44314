import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { StatusLists } from '../issue/status-lists';
import { evaluatorOfDid } from '../keys/evaluator-did';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner, JsonDocument, VerificationResult } from '../signing/credential-signer';

/**
 * POST /api/v1/credentials/verify: the credentials worker's checks, with what this platform knows of
 * the issuer: its DID document and its status list, read from the database, never fetched. An issuer
 * that is not one of this platform's evaluators is not known, and fails the issuer check.
 */
@Injectable()
export class CredentialVerification {
  constructor(
    private readonly database: Database,
    private readonly keys: SigningKeys,
    private readonly lists: StatusLists,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async verify(credential: JsonDocument): Promise<VerificationResult> {
    const issuer = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | undefined)?.id;
    const evaluatorId = typeof issuer === 'string' ? evaluatorOfDid(this.config.publicOrigin, issuer) : undefined;
    const didDocument = evaluatorId ? await this.keys.didDocument(this.database, evaluatorId) : undefined;
    const statusList = await this.statusListOf(credential);
    return credentialSigner.verify(credential, { didDocuments: didDocument ? [didDocument] : [], statusLists: statusList ? [statusList] : [] });
  }

  /** The list the credential's status entry names, if it is one of this platform's. */
  private async statusListOf(credential: JsonDocument): Promise<JsonDocument | undefined> {
    const url = (credential.credentialStatus as { statusListCredential?: unknown } | undefined)?.statusListCredential;
    if (typeof url !== 'string' || !url.startsWith(`${this.config.publicOrigin}/api/v1/evaluators/`)) return undefined;
    const match = /\/api\/v1\/evaluators\/([0-9a-f-]{36})\/status-lists\/(\d{1,6})$/.exec(url);
    return match ? this.lists.find(this.database, match[1], Number(match[2])) : undefined;
  }
}
