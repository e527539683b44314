import { IntegrationEnvelope, TOPICS } from './envelope';

export const BRAND_TOPIC = TOPICS.brand;

/**
 * A labour bureau exists, with the region it governs: identity keeps it in the organisations register
 * and puts the region into its officers' access tokens, so that every service can judge "its region"
 * (domain.md section 9) without knowing bureaus itself.
 */
export interface BureauRegisteredV1 {
  bureauId: string;
  name: string;
  regionCode: string;
}

export type BrandIntegrationEvent = IntegrationEnvelope<'BureauRegistered', BureauRegisteredV1>;
