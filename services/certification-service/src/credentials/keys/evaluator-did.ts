import { isUuid } from '@skills/domain-kernel';

/**
 * An evaluator's decentralised identifier, `did:web` under the platform's origin (PUBLIC_ORIGIN): the
 * host with its port's colon percent-encoded, then the path `evaluators:<id>`, resolved at
 * `<origin>/evaluators/<id>/did.json` as did:web prescribes for a path.
 */
export const evaluatorDid = (publicOrigin: string, evaluatorId: string): string => `did:web:${encodeURIComponent(new URL(publicOrigin).host)}:evaluators:${evaluatorId}`;

/** Where `evaluatorDid` resolves. */
export const didDocumentPath = (evaluatorId: string): string => `/evaluators/${evaluatorId}/did.json`;

/** The key's id within the DID document: `<did>#key-<n>`, numbered from 1 as keys are rotated. */
export const keyIdOf = (did: string, keyNumber: number): string => `${did}#key-${keyNumber}`;

/**
 * The evaluator id a DID of this platform names, if it is one (verification resolves only those): a UUID
 * (8-4-4-4-12), as an evaluator's id is; anything else names no evaluator, and is never asked of the
 * database, whose uuid column would refuse it.
 */
export function evaluatorOfDid(publicOrigin: string, did: string): string | undefined {
  const prefix = `did:web:${encodeURIComponent(new URL(publicOrigin).host)}:evaluators:`;
  const id = did.startsWith(prefix) ? did.slice(prefix.length) : '';
  return isUuid(id) ? id : undefined;
}
