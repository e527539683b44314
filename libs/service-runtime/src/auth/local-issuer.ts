import { Injectable } from '@nestjs/common';
import { JSONWebKeySet } from 'jose';

export interface Issuer {
  /** The issuer's public keys, as its JWKS endpoint serves them. */
  jwks(): Promise<JSONWebKeySet>;
  /** False for a user who was disabled: their tokens stop working at once. */
  isActive(userId: string): Promise<boolean>;
}

/**
 * The platform's own token issuer when it runs in this process (the identity module registers itself
 * at start): services verify its tokens without an HTTP round trip. Empty in a service deployed alone,
 * which fetches the keys from identity-service instead.
 */
@Injectable()
export class LocalIssuer {
  private issuer?: Issuer;
  private keysGeneration = 0;

  register(issuer: Issuer): void {
    this.issuer = issuer;
  }

  get(): Issuer | undefined {
    return this.issuer;
  }

  /** The issuer rotated or retired a key: copies of its keys in this process are read again. */
  keysChanged(): void {
    this.keysGeneration++;
  }

  /** Changes with every `keysChanged`, for a copy of the keys to know it is stale. */
  generation(): number {
    return this.keysGeneration;
  }
}
