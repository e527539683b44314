// Building units as training-service registers them (ProviderRegisteredV1), for the brand specs: a brand
// names only providers and employers the organisation replica holds, in its bureau's region.
import { ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { fact, Fact, publishFacts, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';

export function providerRegistered(creditCode: string, regionCode = '430200', providerId: string = randomUUID()): Fact {
  return fact(TRAINING_TOPIC, 'ProviderRegistered', { providerId, name: `培训学校 ${creditCode}`, creditCode, regionCode } satisfies ProviderRegisteredV1, { key: providerId });
}

/** Registers each credit code as a school of `regionCode` (Zhuzhou by default). */
export function registerBuildingUnits(host: TestHost, creditCodes: string[], regionCode = '430200'): Promise<void> {
  return publishFacts(host, creditCodes.map((creditCode) => providerRegistered(creditCode, regionCode)));
}
