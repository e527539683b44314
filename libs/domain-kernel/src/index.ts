export * from './business-date';
export * from './codes';
export * from './credit-code';
export * from './identity-number';
export * from './domain-refusal';
