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

/** The evaluator id a DID of this platform names, if it is one (verification resolves only those). */
export function evaluatorOfDid(publicOrigin: string, did: string): string | undefined {
  const prefix = `did:web:${encodeURIComponent(new URL(publicOrigin).host)}:evaluators:`;
  const id = did.startsWith(prefix) ? did.slice(prefix.length) : '';
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}
