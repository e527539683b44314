#!/usr/bin/env node
// A single-node Apache Kafka (KRaft) broker for tests and local runs, without Docker.
//
// Plain CommonJS on purpose: `npm run kafka:fetch` and the Jest global setup run this before any
// TypeScript is compiled. The jars come from Maven Central (the only place they are reachable from
// here) and are cached outside the repo so that `git clean` and fresh worktrees do not re-download
// ~46 MB.
//
//   node tools/kafka/kafka.js fetch                                 download the jars into the cache
//   node tools/kafka/kafka.js start [--port 9092] [--data-dir DIR]  run a broker in the foreground
//   node tools/kafka/kafka.js format [--port 9092] [--data-dir DIR] format DIR without starting
//
// Module API: fetchKafka(), startBroker({ port, dataDir, partitions }), findFreePort(), kafkaCacheDir().
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const KAFKA_VERSION = '3.9.1';
const SCALA_VERSION = '2.13';
const SLF4J_VERSION = '1.7.36';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const LOG_TAIL_LINES = 60;

// ---------------------------------------------------------------------------------------------------
// Cache and download
// ---------------------------------------------------------------------------------------------------

function kafkaCacheDir() {
  if (process.env.KAFKA_CACHE_DIR) return path.resolve(process.env.KAFKA_CACHE_DIR);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'skills-ladder', `kafka-${KAFKA_VERSION}`);
}

function libsDir() {
  return path.join(kafkaCacheDir(), 'libs');
}

// Written last, so an interrupted download is never mistaken for a complete one.
function markerFile() {
  return path.join(kafkaCacheDir(), '.complete');
}

function isFetched() {
  return fs.existsSync(markerFile()) && fs.existsSync(libsDir());
}

// A throwaway pom whose only job is to let `dependency:copy-dependencies` resolve the broker's
// runtime classpath. slf4j-reload4j gives Kafka's log4j-1 style configuration a backend.
function pomXml() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.skills-ladder</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${SCALA_VERSION}</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

function hasCommand(command, args = ['-version']) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

const ANSI_ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

// Output is kept and shown only on failure: even with -q, Maven 3.8 prints stray ANSI resets.
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${command} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n` +
                output.replace(ANSI_ESCAPES, '').trim(),
            ),
          ),
    );
  });
}

/**
 * Ensures the Kafka jars are in the cache; instant when they already are.
 * @returns {Promise<{ cacheDir: string, libsDir: string }>}
 */
async function fetchKafka() {
  const cacheDir = kafkaCacheDir();
  if (isFetched()) return { cacheDir, libsDir: libsDir() };
  if (!hasCommand('mvn', ['-v'])) {
    throw new Error(
      `Kafka ${KAFKA_VERSION} is not in ${cacheDir} and Maven (mvn) is not installed to fetch it ` +
        '(apt-get install maven, or set KAFKA_BROKERS to an existing broker).',
    );
  }
  // Said once, on stderr, so a first test run that pauses here is not a mystery.
  process.stderr.write(`Fetching Apache Kafka ${KAFKA_VERSION} jars (~46 MB, once) into ${cacheDir}\n`);
  fs.mkdirSync(cacheDir, { recursive: true });
  // A half-copied libs dir from an interrupted run could hold a truncated jar: start clean.
  fs.rmSync(libsDir(), { recursive: true, force: true });
  fs.writeFileSync(path.join(cacheDir, 'pom.xml'), pomXml());
  await run(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime'],
    { cwd: cacheDir },
  );
  fs.writeFileSync(markerFile(), `kafka_${SCALA_VERSION} ${KAFKA_VERSION}\n`);
  return { cacheDir, libsDir: libsDir() };
}

// ---------------------------------------------------------------------------------------------------
// Broker
// ---------------------------------------------------------------------------------------------------

/** A loopback port nobody is listening on right now. */
function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Asking twice in a row may hand back the same port, so callers say which ones are taken.
async function findFreePortExcept(...taken) {
  let port = await findFreePort();
  while (taken.includes(port)) port = await findFreePort();
  return port;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function serverProperties({ port, controllerPort, dataDir, partitions }) {
  return [
    '# Written by tools/kafka/kafka.js on every start; edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    `num.partitions=${partitions}`,
    // One broker: internal topics cannot have more replicas than that.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // Tests join consumer groups constantly; the default 3 s delay would slow every one of them.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    // Tests replay from the beginning; never let retention drop events mid-run.
    'log.retention.ms=-1',
    '',
  ].join('\n');
}

const LOG4J_PROPERTIES = [
  '# WARN and above only: at INFO the broker prints thousands of lines per start.',
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  '',
].join('\n');

function javaBaseArgs(configDir) {
  return [
    '-cp',
    path.join(libsDir(), '*'),
    `-Dlog4j.configuration=file:${path.join(configDir, 'log4j.properties')}`,
  ];
}

// Config files live next to the data, not in the cache, so several brokers can share the jars.
// Kafka only treats sub-directories of log.dirs as partitions, so plain files there are harmless.
function writeConfig(settings) {
  fs.mkdirSync(settings.dataDir, { recursive: true });
  fs.writeFileSync(path.join(settings.dataDir, 'server.properties'), serverProperties(settings));
  fs.writeFileSync(path.join(settings.dataDir, 'log4j.properties'), LOG4J_PROPERTIES);
}

function javaSync(args) {
  const result = spawnSync('java', args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      `java ${args.slice(-4).join(' ')} failed: ${result.error || ''}${result.stderr || ''}${result.stdout || ''}`,
    );
  }
  return result.stdout.trim();
}

// KRaft refuses to start on unformatted storage; formatting twice would be an error, and
// re-formatting would throw away the data a restart test relies on.
function formatStorage(dataDir) {
  if (fs.existsSync(path.join(dataDir, 'meta.properties'))) return false;
  const base = javaBaseArgs(dataDir);
  const clusterId = javaSync([...base, 'kafka.tools.StorageTool', 'random-uuid']).split(/\s+/).pop();
  javaSync([
    ...base,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    path.join(dataDir, 'server.properties'),
  ]);
  return true;
}

function assertJava() {
  if (!hasCommand('java')) {
    throw new Error('Java is not installed (java -version failed); the local Kafka broker needs a JRE 11+.');
  }
}

// Linux only: the kernel sends SIGKILL to the broker when the process that spawned it dies, even on
// SIGKILL of the parent, where no 'exit' handler runs. Used when util-linux setpriv is there.
// (Strictly, when the spawning *thread* dies: do not start brokers from worker_threads.)
const SETPRIV = process.platform === 'linux' && hasCommand('setpriv', ['--help']);

/**
 * Starts a single-node KRaft broker on loopback and resolves once clients can talk to it.
 * Options and the returned handle are described in kafka.d.ts.
 */
async function startBroker({ port, dataDir, partitions = 3, inheritOutput = false } = {}) {
  assertJava();
  await fetchKafka();

  // Someone else's broker on a requested port would answer our readiness probe while ours fails to bind.
  if (port && (await canConnect(port))) {
    throw new Error(`Cannot start Kafka on 127.0.0.1:${port}: something is already listening there.`);
  }
  port = port || (await findFreePort());
  const controllerPort = await findFreePortExcept(port);

  // A temp data dir is ours to delete; a given one belongs to the caller and survives.
  const ownsDataDir = !dataDir;
  dataDir = path.resolve(dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-data-')));
  writeConfig({ port, controllerPort, dataDir, partitions });
  formatStorage(dataDir);

  let child;
  let exited; // resolves when the current child has exited
  let logTail = [];
  const spawnFailed = new WeakSet();
  const hasExited = (broker) => broker.exitCode !== null || broker.signalCode !== null || spawnFailed.has(broker);

  const onParentExit = () => {
    if (child && !hasExited(child)) child.kill('SIGKILL');
    if (ownsDataDir) removeQuietly(dataDir);
  };
  process.on('exit', onParentExit);

  function spawnBroker() {
    const javaArgs = ['-Xmx512m', ...javaBaseArgs(dataDir), 'kafka.Kafka', path.join(dataDir, 'server.properties')];
    const [command, args] = SETPRIV
      ? ['setpriv', ['--pdeathsig', 'SIGKILL', 'java', ...javaArgs]] // setpriv execs java: same pid
      : ['java', javaArgs];
    logTail = [];
    child = spawn(command, args, {
      cwd: dataDir,
      detached: false, // same process group: Ctrl-C in a terminal reaches the broker too
      stdio: ['ignore', inheritOutput ? 'inherit' : 'pipe', inheritOutput ? 'inherit' : 'pipe'],
    });
    const remember = (chunk) => {
      logTail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logTail.length > LOG_TAIL_LINES) logTail = logTail.slice(-LOG_TAIL_LINES);
    };
    // Always drain the pipes: a full pipe buffer would block the broker's logging thread.
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    const current = child;
    exited = new Promise((resolve) => {
      current.once('exit', resolve);
      // A failed spawn emits 'error' and never 'exit'.
      current.once('error', (error) => {
        logTail.push(String(error));
        spawnFailed.add(current);
        resolve();
      });
    });
  }

  async function waitUntilReady() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const current = child;
    let lastError = 'port not open yet';
    while (Date.now() < deadline) {
      if (hasExited(current)) {
        lastError = `broker exited (code ${current.exitCode}, signal ${current.signalCode})`;
        break;
      }
      if (await canConnect(port)) {
        try {
          await listTopics(port);
          return;
        } catch (error) {
          lastError = `listTopics: ${error.message}`;
        }
      }
      await sleep(250);
    }
    const timedOut = !hasExited(current);
    if (timedOut) await stop();
    throw new Error(
      `Kafka broker on 127.0.0.1:${port} did not become ready` +
        `${timedOut ? ` within ${START_TIMEOUT_MS / 1000} s` : ''} (${lastError}). Data dir: ${dataDir}. ` +
        `Last broker output:\n${logTail.join('\n') || '(none)'}`,
    );
  }

  async function stop() {
    const current = child;
    if (!current || hasExited(current)) return;
    const killer = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
    current.kill('SIGTERM');
    await exited;
    clearTimeout(killer);
  }

  async function restart() {
    await stop();
    spawnBroker();
    await waitUntilReady();
  }

  spawnBroker();
  await waitUntilReady();

  return {
    brokers: [`127.0.0.1:${port}`],
    port,
    controllerPort,
    dataDir,
    get pid() {
      return child?.pid;
    },
    stop,
    restart,
    /** Stops the broker and, if startBroker created the data dir, deletes it. */
    async destroy() {
      await stop();
      process.removeListener('exit', onParentExit);
      if (ownsDataDir) removeQuietly(dataDir);
    },
  };
}

// The port accepting connections is not enough: the broker answers metadata only once it has
// joined its own quorum. kafkajs is what the services use, so it is the judge of "ready".
async function listTopics(port) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'kafka-readiness-probe',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// Best effort: a just-killed broker may still be closing files while we delete its temp dir.
function removeQuietly(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // leave it to the OS's temp cleanup
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--data-dir') options.dataDir = value;
    else if (flag === '--partitions') options.partitions = Number(value);
    else throw new Error(`Unknown option ${argv[i]}`);
  }
  return options;
}

// The CLI keeps its data in the repo's git-ignored .data/ so a local broker survives restarts.
const DEFAULT_CLI_DATA_DIR = path.join(__dirname, '..', '..', '.data', 'kafka');

async function main([command, ...rest]) {
  const options = parseArgs(rest);
  switch (command) {
    case 'fetch': {
      const { libsDir: dir } = await fetchKafka();
      console.log(`Kafka ${KAFKA_VERSION} jars: ${dir}`);
      return;
    }
    case 'format': {
      assertJava();
      await fetchKafka();
      const dataDir = path.resolve(options.dataDir || DEFAULT_CLI_DATA_DIR);
      const port = options.port || 9092;
      writeConfig({ port, controllerPort: port + 1, dataDir, partitions: options.partitions || 3 });
      console.log(formatStorage(dataDir) ? `Formatted ${dataDir}` : `${dataDir} is already formatted`);
      return;
    }
    case 'start': {
      const broker = await startBroker({
        port: options.port || 9092,
        dataDir: options.dataDir || DEFAULT_CLI_DATA_DIR,
        partitions: options.partitions,
        inheritOutput: true,
      });
      console.log(`Kafka ${KAFKA_VERSION} ready: KAFKA_BROKERS=${broker.brokers.join(',')} (data: ${broker.dataDir})`);
      let stopping = false;
      const shutdown = async () => {
        if (stopping) return;
        stopping = true;
        await broker.stop();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return;
    }
    default:
      console.error('usage: node tools/kafka/kafka.js fetch | start [--port 9092] [--data-dir DIR] | format [...]');
      process.exitCode = 2;
  }
}

module.exports = { KAFKA_VERSION, fetchKafka, startBroker, findFreePort, kafkaCacheDir };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
