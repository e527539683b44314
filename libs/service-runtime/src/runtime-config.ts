import express from 'express';
import { erasureLedgerIn } from './backup/erasure-ledger';

/**
 * Configuration from environment variables, validated at start-up with one clear message per bad
 * value. The same service code runs in every deployment; only these values differ.
 */
export interface RuntimeConfig extends HttpSettings {
  port: number;
  transport: 'in-process' | 'kafka';
  kafkaBrokers: string[];
  /** Default database; `<SERVICE>_DATABASE_URL` (e.g. TRAINING_DATABASE_URL) overrides per service. */
  databaseUrl: string;
  databaseUrls: Record<string, string>;
  /** How long a command waits for another service's replica to learn of a fresh id (read-your-writes). */
  replicaWaitMs: number;
  /** How long a command's answer waits for its integration events to be published (then: `Publication: pending`). */
  publicationWaitMs: number;
  /** How long a decision on another context's facts waits for them to be applied here (then: 503). */
  catchUpWaitMs: number;
  logLevel: string;
  /**
   * Where clients reach the platform (the all-in-one process or the gateway): the token issuer's name,
   * and the origin of every certificate's verification URL (`<publicOrigin>/verify/{number}`).
   */
  publicOrigin: string;
  /** How long an access token lives (identity-service); a client renews it with its refresh token. */
  accessTokenSeconds: number;
  /** Public certificate verifications a client address may ask for in a minute (429 beyond): a lookup by name is not a sweep. */
  verifyRateLimitPerMinute: number;
  /**
   * Wrong holder names one certificate number may be verified with in a UTC day, counted in the database
   * for every replica; beyond it every name check on that number answers 429 until the day ends.
   */
  verifyWrongNamesPerCertificatePerDay: number;
  /** Where erasures are recorded outside the database (BACKUP_DIR/erasures.jsonl), so a restore can make them again; none without BACKUP_DIR. */
  erasureLedger?: string;
  /** Whether certification-service signs certificates' verifiable credentials (CREDENTIAL_SIGNING `on`, the default, or `off`). */
  credentialSigning: boolean;
}

/** The HTTP settings every host reads, the gateway too (which has no database and no bus). */
export interface HttpSettings {
  /** Requests a client address may send in a minute (429 beyond). */
  rateLimitPerAddressPerMinute: number;
  /** Requests one signed-in user may send in a minute, from any address (429 beyond). */
  rateLimitPerUserPerMinute: number;
  /** Web origins whose browser scripts may call the API (CORS); none by default. */
  corsOrigins: string[];
  /**
   * The peers whose X-Forwarded-For is believed (Express's `trust proxy`): by default the loopback and
   * private networks, where the gateway and an ingress sit. A client on such a network is believed too,
   * so the all-in-one, which clients reach directly (on a LAN as well), believes the loopback only.
   */
  trustProxy: string;
}

/**
 * Well above what one client of ours sends: the latency benchmark's 200 commands/s from one user and one
 * address (12,000 a minute), the demo loader's ~2,700 requests, a fuzz run's ~10,000 a minute.
 */
export const HTTP_SETTINGS_DEFAULTS: HttpSettings = { rateLimitPerAddressPerMinute: 30_000, rateLimitPerUserPerMinute: 15_000, corsOrigins: [], trustProxy: 'loopback, linklocal, uniquelocal' };

const HTTP_ORIGIN = /^https?:\/\/[^\s/]+$/;

/**
 * PUBLIC_ORIGIN as the platform reads it (without a trailing slash), or `fallback`, by default the
 * development origin. The restore reads it the same way, to compare it with the one a backup was taken under.
 */
export const publicOriginIn = (env: NodeJS.ProcessEnv, fallback = 'http://localhost:3000'): string => (env.PUBLIC_ORIGIN ?? fallback).replace(/\/$/, '');

type IntegerSetting = (name: string, fallback: number, min: number, max: number) => number;

/** Reads an integer variable; a bad value adds one problem (and start-up fails with all of them). */
const integerSetting =
  (env: NodeJS.ProcessEnv, problems: string[]): IntegerSetting =>
  (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return value;
  };

export function loadHttpSettings(env: NodeJS.ProcessEnv, problems: string[], defaults: Partial<HttpSettings> = {}): HttpSettings {
  const integer = integerSetting(env, problems);
  const trustProxy = env.TRUST_PROXY?.trim() || defaults.trustProxy || HTTP_SETTINGS_DEFAULTS.trustProxy;
  try {
    // Express compiles it here as it will at start: an address or subnet it cannot read throws.
    express().set('trust proxy', trustProxy);
  } catch {
    problems.push(`TRUST_PROXY must be addresses, subnets or loopback, linklocal, uniquelocal, comma-separated (got "${trustProxy}")`);
  }
  const corsOrigins = (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean);
  // "*" would let any site's scripts call the API with a user's token taken from that site: origins are named.
  for (const origin of corsOrigins) if (!HTTP_ORIGIN.test(origin)) problems.push(`CORS_ORIGINS entry "${origin}" must be an http(s) origin without a path, e.g. https://console.example.org`);
  return {
    rateLimitPerAddressPerMinute: integer('RATE_LIMIT_PER_ADDRESS_PER_MINUTE', HTTP_SETTINGS_DEFAULTS.rateLimitPerAddressPerMinute, 1, 10_000_000),
    rateLimitPerUserPerMinute: integer('RATE_LIMIT_PER_USER_PER_MINUTE', HTTP_SETTINGS_DEFAULTS.rateLimitPerUserPerMinute, 1, 10_000_000),
    corsOrigins,
    trustProxy,
  };
}

export class ConfigurationError extends Error {
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv, defaults: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const problems: string[] = [];
  const integer = integerSetting(env, problems);
  const transport = (env.TRANSPORT ?? defaults.transport ?? 'kafka') as RuntimeConfig['transport'];
  if (!['in-process', 'kafka'].includes(transport)) problems.push(`TRANSPORT must be "in-process" or "kafka" (got "${transport}")`);
  const kafkaBrokers = (env.KAFKA_BROKERS ?? defaults.kafkaBrokers?.join(',') ?? '').split(',').map((broker) => broker.trim()).filter(Boolean);
  if (transport === 'kafka' && kafkaBrokers.length === 0) problems.push('KAFKA_BROKERS is required when TRANSPORT=kafka (host:port, comma-separated)');
  for (const broker of kafkaBrokers) if (!/^[^\s:]+:\d+$/.test(broker)) problems.push(`KAFKA_BROKERS entry "${broker}" must be host:port`);
  const databaseUrl = env.DATABASE_URL ?? defaults.databaseUrl ?? '';
  const databaseUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^([A-Z]+)_DATABASE_URL$/.exec(name);
    if (match && value) databaseUrls[match[1].toLowerCase()] = value;
  }
  for (const [name, url] of [['DATABASE_URL', databaseUrl], ...Object.entries(databaseUrls)]) {
    if (url && !/^postgres(ql)?:\/\//.test(url)) problems.push(`${name} must be a postgres:// URL`);
  }
  if (!databaseUrl && Object.keys(databaseUrls).length === 0) problems.push('DATABASE_URL is required (postgres://user:password@host:port/database)');
  const config: RuntimeConfig = {
    port: integer('PORT', defaults.port ?? 3000, 0, 65535),
    transport,
    kafkaBrokers,
    databaseUrl,
    databaseUrls,
    replicaWaitMs: integer('REPLICA_WAIT_MS', defaults.replicaWaitMs ?? 5000, 0, 60000),
    publicationWaitMs: integer('PUBLICATION_WAIT_MS', defaults.publicationWaitMs ?? 5000, 0, 60000),
    catchUpWaitMs: integer('CATCH_UP_WAIT_MS', defaults.catchUpWaitMs ?? 10000, 0, 60000),
    logLevel: env.LOG_LEVEL ?? defaults.logLevel ?? 'info',
    publicOrigin: publicOriginIn(env, defaults.publicOrigin),
    // Minutes, not hours: a disabled user's token dies soon even where no service asks identity. As low
    // as 5 s, so a browser test can see a token expire in the middle of a form.
    accessTokenSeconds: integer('ACCESS_TOKEN_SECONDS', defaults.accessTokenSeconds ?? 300, 5, 3600),
    verifyRateLimitPerMinute: integer('VERIFY_RATE_LIMIT_PER_MINUTE', defaults.verifyRateLimitPerMinute ?? 60, 1, 10_000_000),
    verifyWrongNamesPerCertificatePerDay: integer('VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY', defaults.verifyWrongNamesPerCertificatePerDay ?? 5, 1, 1000),
    erasureLedger: env.BACKUP_DIR ? erasureLedgerIn(env.BACKUP_DIR) : defaults.erasureLedger,
    // Empty is unset, as a template that leaves it blank gives it.
    credentialSigning: env.CREDENTIAL_SIGNING ? env.CREDENTIAL_SIGNING !== 'off' : (defaults.credentialSigning ?? true),
    ...loadHttpSettings(env, problems, defaults),
  };
  // Anything but the two words is a mistake, not "on": `OFF` or `false` would keep signing unnoticed.
  if (env.CREDENTIAL_SIGNING && !['on', 'off'].includes(env.CREDENTIAL_SIGNING)) problems.push(`CREDENTIAL_SIGNING must be "on" or "off" (got "${env.CREDENTIAL_SIGNING}")`);
  if (!HTTP_ORIGIN.test(config.publicOrigin)) problems.push(`PUBLIC_ORIGIN must be an http(s) origin without a path (got "${config.publicOrigin}")`);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

/** The variable `databaseUrlFor` took the service's URL from: its own `<SERVICE>_DATABASE_URL`, or DATABASE_URL where that is not set. */
export function databaseSettingFor(config: RuntimeConfig, service: string): string {
  return config.databaseUrls[service] ? `${service.toUpperCase()}_DATABASE_URL` : 'DATABASE_URL';
}

export function databaseUrlFor(config: RuntimeConfig, service: string): string {
  const url = config.databaseUrls[service] ?? config.databaseUrl;
  if (!url) throw new ConfigurationError([`${service.toUpperCase()}_DATABASE_URL or DATABASE_URL is required`]);
  return url;
}
