import { Provider, Type } from '@nestjs/common';
import { REVOKED_API_KEYS_CONSUMER, RevokedApiKeysConsumer } from './revoked-api-keys.consumer';

export { RevokedApiKeys } from './revoked-api-keys';
export { recordRevokedApiKey, RevokedApiKeysSchema } from './revoked-api-keys.schema';

/** What ServiceRuntimeModule adds to every service to learn of revoked API keys; the inbox name is `<service>.revoked-api-keys`. */
export function revokedApiKeysFor(service: string): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [RevokedApiKeysConsumer],
    providers: [{ provide: REVOKED_API_KEYS_CONSUMER, useValue: `${service}.revoked-api-keys` }],
  };
}
