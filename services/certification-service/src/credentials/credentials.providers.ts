import { Inject, Injectable, OnModuleInit, Provider } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { credentialsIssued } from './issue/credentials.projection';
import { StatusLists } from './issue/status-lists';
import { SigningKeys } from './keys/signing-keys';
import { credentialSigner } from './signing/credential-signer';
import { CredentialVerification } from './verify/credential-verification';

/**
 * Signing switched off (CREDENTIAL_SIGNING=off, a benchmark's setting) on data whose certificates hold
 * credentials is refused at start: the credentials projection would not run, so their status lists would
 * no longer follow revocations, and a revoked certificate's credential would still verify.
 */
@Injectable()
class SigningOffOnlyWithoutCredentials implements OnModuleInit {
  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly database: Database,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.credentialSigning || !(await credentialsIssued(this.database))) return;
    throw new Error(
      'CREDENTIAL_SIGNING=off on data whose certificates hold signed credentials: their status lists would no longer follow revocations, so a revoked certificate’s credential would still verify; start with signing on',
    );
  }
}

/** The credentials' parts for the HTTP side (the projection makes its own from the same settings). */
export const credentialsProviders: Provider[] = [
  SigningOffOnlyWithoutCredentials,
  { provide: SigningKeys, inject: [RUNTIME_CONFIG], useFactory: (config: RuntimeConfig) => new SigningKeys(credentialSigner, config.publicOrigin) },
  { provide: StatusLists, inject: [SigningKeys, RUNTIME_CONFIG], useFactory: (keys: SigningKeys, config: RuntimeConfig) => new StatusLists(credentialSigner, keys, config.publicOrigin) },
  CredentialVerification,
];
