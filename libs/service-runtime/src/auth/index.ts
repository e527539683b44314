export * from './auth.guard';
export * from './authentication';
export * from './local-issuer';
export * from './permissions';
export * from './token-verifier';
