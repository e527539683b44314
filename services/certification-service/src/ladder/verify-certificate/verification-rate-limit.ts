import { Inject, Injectable } from '@nestjs/common';
import { AddressRateLimit, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';

/**
 * VERIFY_RATE_LIMIT_PER_MINUTE verifications a minute per client address, well under the host-wide limit:
 * with the holder's name it answers whether a name goes with a number, which must not be tried in bulk.
 */
@Injectable()
export class VerificationRateLimit extends AddressRateLimit {
  constructor(@Inject(RUNTIME_CONFIG) config: RuntimeConfig) {
    super(config.verifyRateLimitPerMinute);
  }
}
