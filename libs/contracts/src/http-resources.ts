/**
 * Which service owns each resource of the HTTP contract (the first segment after /api/v1/). The
 * gateway routes by it; the deployments are checked against it.
 */
export const RESOURCE_OWNERS = {
  trainees: 'trainee-service',
  imports: 'trainee-service',
  providers: 'training-service',
  courses: 'training-service',
  evaluators: 'certification-service',
  certifications: 'certification-service',
  certificates: 'certification-service',
  credentials: 'certification-service',
  ladder: 'certification-service',
  employers: 'placement-service',
  placements: 'placement-service',
  employments: 'placement-service',
  bureaus: 'brand-service',
  brands: 'brand-service',
  statistics: 'brand-service',
  me: 'identity-service',
  users: 'identity-service',
  'api-keys': 'identity-service',
  organisations: 'identity-service',
  audit: 'identity-service',
} as const;

export type ServiceName = (typeof RESOURCE_OWNERS)[keyof typeof RESOURCE_OWNERS];

/**
 * The paths outside /api/v1/ the gateway routes, by prefix, to the service that owns them: the token
 * issuer's endpoints (OAuth 2.0 token endpoint, OpenID Connect discovery and keys, key rotation), and
 * evaluators' DID documents (did:web resolves `did:web:<host>:evaluators:<id>` at /evaluators/<id>/did.json).
 */
export const PATH_OWNERS = {
  '/oauth/': 'identity-service',
  '/.well-known/': 'identity-service',
  '/admin/identity/': 'identity-service',
  '/evaluators/': 'certification-service',
} as const satisfies Record<string, ServiceName>;

export const SERVICE_NAMES: ServiceName[] = ['trainee-service', 'training-service', 'certification-service', 'placement-service', 'brand-service', 'identity-service'];

/** How the gateway is told where a service is: TRAINEE_SERVICE_URL=http://trainee-service:3001, and so on. */
export const serviceUrlVariable = (service: ServiceName | string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;

/**
 * The one URL a certificate is verified at (the console's page, under PUBLIC_ORIGIN): printed on it, in its
 * QR codes and PDFs, and the `id` of its credential (api.md).
 */
export const verificationUrlOf = (publicOrigin: string, number: string) => `${publicOrigin}/verify/${number}`;
