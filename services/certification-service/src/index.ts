export * from './certification.module';
export { credentialSigner, type JsonDocument, type VerificationResult } from './credentials/signing/credential-signer';
