import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A JSON-LD document (a credential, a DID document): plain JSON. */
export type JsonDocument = Record<string, unknown>;

/** An evaluator's key as the worker signs with it (the secret only ever unsealed for the call). */
export interface SigningKey {
  id: string;
  controller: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

export interface VerificationCheck {
  check: 'signature' | 'issuer' | 'status' | 'dates';
  passed: boolean;
  detail: string;
}

export interface VerificationResult {
  verified: boolean;
  checks: VerificationCheck[];
}

/** What a verifier knows besides the credential: the issuer's DID document and status lists (offline). */
export interface VerificationContext {
  didDocuments: JsonDocument[];
  statusLists: JsonDocument[];
  now?: string;
}

/** Signing takes ~5 ms and verifying ~6 ms (docs/benchmarks.md): 10 s is a call gone wrong. */
const CALL_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/**
 * The credentials worker (vc-worker.mjs) seen from TypeScript: one worker thread per process, started
 * at the first call, each answer matched to its call by id (the worker interleaves the calls it holds,
 * and a call's timeout runs from the moment it is posted). Signing and verifying never run on the
 * service's event loop.
 */
export class CredentialSigner {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  generateKey(): Promise<{ publicKeyMultibase: string; secretKeyMultibase: string }> {
    return this.call('generateKey', {});
  }

  /**
   * `created`: the proof's time, when it is a fact of the log (the certification's) rather than the moment
   * of signing; Ed25519 signatures are deterministic, so the same credential signed again (a projection
   * rebuilt, a backup restored) is then the same document, byte for byte.
   */
  sign(credential: JsonDocument, key: SigningKey, created?: string): Promise<JsonDocument> {
    return this.call('sign', { credential, key, created });
  }

  /** Each of `credentials` as `sign` would sign it, in one call: the key is imported once for them all. */
  signAll(credentials: JsonDocument[], key: SigningKey, created?: string): Promise<JsonDocument[]> {
    return this.call('signAll', { credentials, key, created });
  }

  /** `created` as for `sign`: the time of the fact that changed the list (a certification, a revocation). */
  statusList(input: { id: string; issuer: string; length: number; revoked: number[]; validFrom: string; key: SigningKey; created?: string }): Promise<JsonDocument> {
    return this.call('statusList', input);
  }

  verify(credential: unknown, context: VerificationContext): Promise<VerificationResult> {
    return this.call('verify', { credential, ...context });
  }

  /** The library's own verifier (vc.verifyCredential with its status check), for tests and the CLI's second opinion. */
  libraryVerify(credential: unknown, context: VerificationContext): Promise<{ verified: boolean; revoked: boolean; error?: string }> {
    return this.call('libraryVerify', { credential, ...context });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private call<T>(operation: string, input: unknown): Promise<T> {
    const worker = this.started();
    const id = this.nextId++;
    // Kept alive while it has something to answer (a CLI awaits it with nothing else running).
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      // No caller waits for ever on one call (a credential crafted to take long, a worker gone astray).
      const timer = setTimeout(() => this.settle(worker, id, { error: `the credentials worker took over ${CALL_TIMEOUT_MS / 1000} s to ${operation}` }), CALL_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (output) => (clearTimeout(timer), resolve(output as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      worker.postMessage({ id, operation, input });
    });
  }

  private settle(worker: Worker, id: number, { output, error }: { output?: unknown; error?: string }): void {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) worker.unref();
    if (error !== undefined) pending?.reject(new Error(error));
    else pending?.resolve(output);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(__dirname, 'vc-worker.mjs'));
    worker.on('message', ({ id, output, error }: { id: number; output?: unknown; error?: string }) => this.settle(worker, id, { output, error }));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      // A worker closed while a new one already answers leaves the new one's calls alone.
      if (this.worker !== worker && this.worker !== undefined) return;
      this.worker = undefined;
      this.failAll(new Error('the credentials worker stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** One worker for the process (every module of the all-in-one platform shares it). */
export const credentialSigner = new CredentialSigner();
