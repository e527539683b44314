/**
 * Which service owns each resource of the HTTP contract (the first segment after /api/v1/). The
 * gateway routes by it; the deployments are checked against it.
 */
export const RESOURCE_OWNERS = {
  trainees: 'trainee-service',
  providers: 'training-service',
  courses: 'training-service',
  evaluators: 'certification-service',
  certifications: 'certification-service',
  certificates: 'certification-service',
  ladder: 'certification-service',
  employers: 'placement-service',
  placements: 'placement-service',
  employments: 'placement-service',
  bureaus: 'brand-service',
  brands: 'brand-service',
} as const;

export type ServiceName = (typeof RESOURCE_OWNERS)[keyof typeof RESOURCE_OWNERS];

export const SERVICE_NAMES: ServiceName[] = ['trainee-service', 'training-service', 'certification-service', 'placement-service', 'brand-service'];

/** How the gateway is told where a service is: TRAINEE_SERVICE_URL=http://trainee-service:3001, and so on. */
export const serviceUrlVariable = (service: ServiceName | string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;
