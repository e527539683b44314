import { Provider } from '@nestjs/common';
import { RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { StatusLists } from './issue/status-lists';
import { SigningKeys } from './keys/signing-keys';
import { credentialSigner } from './signing/credential-signer';
import { CredentialVerification } from './verify/credential-verification';

/** The credentials' parts for the HTTP side (the projection makes its own from the same settings). */
export const credentialsProviders: Provider[] = [
  { provide: SigningKeys, inject: [RUNTIME_CONFIG], useFactory: (config: RuntimeConfig) => new SigningKeys(credentialSigner, config.publicOrigin) },
  { provide: StatusLists, inject: [SigningKeys, RUNTIME_CONFIG], useFactory: (keys: SigningKeys, config: RuntimeConfig) => new StatusLists(credentialSigner, keys, config.publicOrigin) },
  CredentialVerification,
];
