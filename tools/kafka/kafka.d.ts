// Types for kafka.js, which stays plain JavaScript so it runs before anything is compiled.

export declare const KAFKA_VERSION: string;

export interface StartBrokerOptions {
  /** PLAINTEXT port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** log.dirs; a temp dir (deleted by destroy() and on exit) when omitted. Reused as is when already formatted. */
  dataDir?: string;
  /** num.partitions for auto-created topics. Default 3. */
  partitions?: number;
  /** Stream the broker's output to this process's stdout/stderr instead of keeping a tail. */
  inheritOutput?: boolean;
}

export interface KafkaBroker {
  /** ['127.0.0.1:<port>'] */
  brokers: string[];
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The broker's pid; changes on restart(). */
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL after 20 s; resolves once the process has exited. Data stays. */
  stop(): Promise<void>;
  /** Starts again on the same ports and data dir; resolves once clients can connect. */
  restart(): Promise<void>;
  /** stop(), then delete the data dir if startBroker created it. */
  destroy(): Promise<void>;
}

export declare function kafkaCacheDir(): string;
export declare function fetchKafka(): Promise<{ cacheDir: string; libsDir: string }>;
export declare function startBroker(options?: StartBrokerOptions): Promise<KafkaBroker>;
export declare function findFreePort(): Promise<number>;
