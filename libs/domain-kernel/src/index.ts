export * from './business-date';
export * from './codes';
export * from './credit-code';
export * from './identity-number';
export * from './domain-refusal';
export * from './skill-ladder';
export * from './certificate-number';
export * from './clock';
