export * from './auth.guard';
export * from './authentication';
export * from './local-issuer';
export * from './password-change-required';
export * from './permissions';
export * from './recent-sign-in';
export { recordRevokedApiKey, RevokedApiKeys } from './revoked-api-keys';
export * from './token-verifier';
