import { EventEmitter, once } from 'node:events';
import { PoolClient, QueryResult, QueryResultRow, TransactionStatus } from 'pg';
// node-postgres's own parts: the conversion of a parameter to its wire form (arrays, JSON, dates) and
// the result a query builds from the server's messages, so a batch's answers are those of `query`.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => string | Buffer | null };
const Result = require('pg/lib/result') as new () => BatchResult;

/** One SQL statement and its parameters (`$1` …), to be sent with others in one round trip. */
export interface Statement {
  text: string;
  values?: unknown[];
  /**
   * Kept prepared on the connection under this name, as node-postgres's named query is, and in the same
   * record of what the connection has parsed, so either may run it next. Only for a statement whose
   * plan does not depend on its values (the append); others are parsed each time (see sendTogether).
   */
  name?: string;
}

/**
 * Several statements in ONE round trip, each with its own parameters: the extended protocol's
 * Parse/Bind/Describe/Execute of every statement, written in one go, then one Sync. The server runs them
 * in order and stops at the first error, which rejects the whole (outside BEGIN, all of them are one
 * implicit transaction). Values travel as parameters, never escaped into the text.
 *
 * A statement without a name is the unnamed one, parsed and planned each time with its values, as
 * node-postgres's own `query(text, values)` does. Keeping every statement prepared would save the parse,
 * but after five runs the server may plan one once for any values (a generic plan); tried, the demo data
 * set then loaded more slowly under load (docs/benchmarks.md, issue 20).
 */
export async function sendTogether<Row extends QueryResultRow = QueryResultRow>(client: PoolClient, statements: (Statement | string)[]): Promise<QueryResult<Row>[]> {
  // Values converted first: one that cannot be (a BigInt in JSON) fails here, with nothing sent or taken.
  const own = statements.map(toWire);
  refuseUnsendable(client, own);
  // What sendWithNextQuery left waiting (a BEGIN, a SAVEPOINT, an inbox claim) goes ahead, in the same round trip.
  const prefixes = takeWaiting(client);
  const ahead = prefixes.flatMap((prefix) => prefix.statements).map(toWire);
  const all = [...ahead, ...own];
  if (all.length === 0) return [];
  const batch = new StatementBatch(all);
  const answered = await new Promise<QueryResult<Row>[]>((resolve, reject) => {
    batch.callback = (error, results) => (error ? reject(error) : resolve(results as QueryResult<Row>[]));
    // A submittable's query answers the submittable itself: the callback is how it ends.
    void client.query(batch as never);
  });
  // A prefix that reads its own answer may refuse the query it went with (an inbox claim already held).
  // That query's work is then on the server, to be rolled back by the caller: a prefix that reads its
  // answer must never ride with a COMMIT (the inbox cancels its claim before a transaction closes).
  let from = 0;
  for (const prefix of prefixes) {
    const theirs = answered.slice(from, (from += prefix.statements.length));
    prefix.answered?.(theirs);
  }
  return answered.slice(ahead.length);
}

/**
 * What a batch cannot send, refused before anything waiting is taken or sent: a COPY (it needs its
 * stream), and a name already prepared on the connection, or twice in the batch, for another text
 * (node-postgres refuses that too).
 */
function refuseUnsendable(client: PoolClient, statements: Statement[]): void {
  const copy = statements.find((statement) => isCopy(statement.text));
  if (copy) throw new Error('a COPY is not sent in a statement batch: send it alone, with its stream');
  const reused = nameUsedForAnotherText(connectionOf(client).parsedStatements, statements);
  if (reused) throw new Error(`the prepared statement ${reused} was used for a different statement`);
}

/** A statement's name that the connection has prepared, or the batch names before, for another text. */
function nameUsedForAnotherText(parsed: Record<string, string>, statements: Statement[]): string | undefined {
  const texts = new Map(Object.entries(parsed));
  for (const { name, text } of statements) {
    if (!name) continue;
    if ((texts.get(name) ?? text) !== text) return name;
    texts.set(name, text);
  }
  return undefined;
}

/** A COPY statement, whatever comments come before it. */
function isCopy(text: string): boolean {
  return /^COPY\b/i.test(text.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, ''));
}

/**
 * The client's transaction status once the server has answered all it was sent. node-postgres rejects a
 * failed query on the server's error, before the ReadyForQuery that says the transaction failed: a caller
 * that caught the error and asks at once would still be told 'T'.
 */
export async function settledTransactionStatus(client: PoolClient): Promise<TransactionStatus> {
  const internal = client as unknown as { readyForQuery: boolean };
  if (!internal.readyForQuery) {
    const connection = connectionOf(client);
    const stop = new AbortController();
    // The client's own listener, attached first, has taken the status when this one hears it.
    await Promise.race([once(connection, 'readyForQuery', { signal: stop.signal }), once(connection, 'end', { signal: stop.signal })]).finally(() => stop.abort());
  }
  return client.getTransactionStatus();
}

function connectionOf(client: PoolClient): Connection {
  return (client as unknown as { connection: Connection }).connection;
}

/** A statement with its values in their wire form (text, a Buffer, or null). */
function toWire(statement: Statement | string): Statement {
  if (typeof statement === 'string') return { text: statement, values: [] };
  return { ...statement, values: (statement.values ?? []).map((value) => prepareValue(value)) };
}

interface BatchResult extends QueryResult {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): QueryResultRow;
  addRow(row: QueryResultRow): void;
  addCommandComplete(message: unknown): void;
}

/** The part of node-postgres's connection a batch writes to (as its own Query does). */
interface Connection extends EventEmitter {
  stream: { cork?: () => void; uncork?: () => void };
  /** node-postgres's record of the named statements this connection has parsed: name → text. */
  parsedStatements: Record<string, string>;
  parse(message: { name: string; text: string; types: unknown[] }): void;
  bind(message: { statement: string; values: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  sendCopyFail(message: string): void;
  sync(): void;
}

/**
 * A node-postgres submittable (as pg-cursor is): the client hands it the connection to write to and
 * the server's answers in order. One result per statement, in the statements' order.
 */
class StatementBatch {
  /** What the round-trip counter of the benchmarks shows. */
  readonly text: string;
  callback?: (error: Error | null, results?: QueryResult[]) => void;
  private ended = false;
  private readonly results: BatchResult[];
  private current = 0;
  private failed?: Error;
  /** The statements this batch parses, in the order of their ParseComplete. */
  private readonly parsing: Statement[] = [];
  private stopRecordingParses?: () => void;

  constructor(private readonly statements: Statement[]) {
    this.text = statements.map((statement) => statement.text).join(';\n');
    this.results = statements.map(() => new Result());
  }

  submit(connection: Connection): void {
    // Checked again here: a named query queued ahead of the batch may have prepared the name since.
    const reused = nameUsedForAnotherText(connection.parsedStatements, this.statements);
    if (reused) {
      // Refused as node-postgres refuses it; the Sync alone brings the ReadyForQuery that ends the batch.
      this.failed = new Error(`the prepared statement ${reused} was used for a different statement`);
      connection.sync();
      return;
    }
    this.recordParses(connection);
    // One write for all the messages, as node-postgres's own Query corks its three.
    connection.stream.cork?.();
    try {
      for (const statement of this.statements) {
        const { text, values = [], name = '' } = statement;
        if (name === '' || (connection.parsedStatements[name] === undefined && !this.parsing.some((parsed) => parsed.name === name))) {
          connection.parse({ name, text, types: [] });
          this.parsing.push(statement);
        }
        connection.bind({ statement: name, values });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.results[this.current].addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    if (this.failed) return;
    const result = this.results[this.current];
    try {
      result.addRow(result.parseRow(message.fields));
    } catch (error) {
      this.failed = error as Error;
    }
  }

  handleCommandComplete(message: unknown): void {
    this.results[this.current].addCommandComplete(message);
    this.current++;
  }

  handleEmptyQuery(): void {
    this.current++;
  }

  handlePortalSuspended(): void {
    // Every portal runs to its end (rows: 0): the server never suspends one.
  }

  /**
   * A COPY has no stream here (sendTogether refuses one it can see). The server drops the messages after
   * a COPY up to the next Sync: after the last statement's, the batch's Sync went, so one more is sent.
   */
  handleCopyInResponse(connection: Connection): void {
    this.failed ??= new Error('COPY … FROM STDIN is not sent in a statement batch: send it with its stream');
    connection.sendCopyFail('not sent in a statement batch');
    if (this.current === this.statements.length - 1) connection.sync();
  }

  handleCopyData(): void {
    this.failed ??= new Error('COPY … TO STDOUT is not sent in a statement batch: send it with its stream');
  }

  /** The server's error: the statements after it were skipped, up to the Sync. */
  handleError(error: Error): void {
    this.end(this.failed ?? error);
  }

  handleReadyForQuery(): void {
    this.end(this.failed ?? null);
  }

  /**
   * A named statement is the connection's from its ParseComplete on, even when its execution then fails
   * (node-postgres records it the same way): parsing it again would be refused as a duplicate.
   */
  private recordParses(connection: Connection): void {
    let completed = 0;
    const onParseComplete = () => {
      const { name, text } = this.parsing[completed++] ?? {};
      if (name && text !== undefined) connection.parsedStatements[name] = text;
    };
    connection.on('parseComplete', onParseComplete);
    this.stopRecordingParses = () => connection.removeListener('parseComplete', onParseComplete);
  }

  private end(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.stopRecordingParses?.();
    if (error) this.callback?.(error);
    else this.callback?.(null, this.results);
  }
}

/** Statements waiting to go with a client's next query, and what to note once they are on their way. */
interface Prefix {
  statements: (Statement | string)[];
  taken: () => void;
  /** Their answers, once the round trip is done; what it throws fails the query they went with (its work is on the server then). */
  answered?: (results: QueryResult[]) => void;
}

const waiting = new WeakMap<PoolClient, Prefix[]>();
const restorers = new WeakMap<PoolClient, () => void>();

/**
 * Sends `statements` (a BEGIN, a SAVEPOINT, an inbox claim) in the round trip of the client's next query,
 * ahead of it; `taken` runs as they go, `answered` with their answers once the round trip is done. Answers
 * a cancel, for when no query came: they are then never sent. Work that opens a transaction or a
 * savepoint, or claims a message, before its first statement thus costs no round trip of its own.
 */
export function sendWithNextQuery(client: PoolClient, statements: (Statement | string)[], taken: () => void, answered?: (results: QueryResult[]) => void): () => void {
  const prefix: Prefix = { statements, taken, answered };
  const queue = waiting.get(client);
  if (queue) queue.push(prefix);
  else {
    waiting.set(client, [prefix]);
    intercept(client);
  }
  return () => {
    const current = waiting.get(client);
    if (!current?.includes(prefix)) return;
    current.splice(current.indexOf(prefix), 1);
    if (current.length === 0) stopIntercepting(client);
  };
}

/** Replaces the client's `query` until its next call, which takes every waiting prefix with it. */
function intercept(client: PoolClient): void {
  const target = client as unknown as { query: (...args: unknown[]) => unknown };
  const hadOwn = Object.prototype.hasOwnProperty.call(target, 'query');
  const own = target.query;
  restorers.set(client, () => {
    if (hadOwn) target.query = own;
    else delete (target as { query?: unknown }).query;
  });
  target.query = (...args: unknown[]) => {
    const statement = plainStatement(args);
    // sendTogether takes the waiting statements with it.
    if (statement) return sendTogether(client, [statement]).then(([result]) => result);
    // A COPY stream or a callback: the waiting statements go first on their own (node-postgres runs a
    // connection's queries in the order they were made); were they to fail, the query behind fails too.
    void sendTogether(client, []).catch(() => undefined);
    return target.query(...args);
  };
}

/** What waits for the client's next query, noted as taken, and the client's own `query` back. */
function takeWaiting(client: PoolClient): Prefix[] {
  const prefixes = waiting.get(client);
  if (!prefixes) return [];
  stopIntercepting(client);
  for (const prefix of prefixes) prefix.taken();
  return prefixes;
}

/** Forgets what waits for the client's next query: before a ROLLBACK, which must go alone. */
export function dropWaiting(client: PoolClient): void {
  stopIntercepting(client);
}

function stopIntercepting(client: PoolClient): void {
  waiting.delete(client);
  restorers.get(client)?.();
  restorers.delete(client);
}

/**
 * A `query` call's statement when it is one statement, text and values alone. Text without values that
 * holds a `;` may be several statements, which only the simple protocol takes: it goes as it is.
 */
function plainStatement([config, values, ...rest]: unknown[]): Statement | undefined {
  if (typeof values === 'function' || rest.length > 0) return undefined;
  const statement = asStatement(config, values as unknown[] | undefined);
  if (!statement) return undefined;
  return (statement.values?.length ?? 0) === 0 && statement.text.replace(/;\s*$/, '').includes(';') ? undefined : statement;
}

function asStatement(config: unknown, values: unknown[] | undefined): Statement | undefined {
  const statement = typeof config === 'string' ? { text: config, values } : configStatement(config, values);
  // A COPY needs its stream, which only node-postgres's own query (a pg-copy-streams one) gives it.
  return statement && !isCopy(statement.text) ? statement : undefined;
}

/** A query config of text, values and a name only; one with other options (row mode, types, binary …) goes as it is. */
function configStatement(config: unknown, values: unknown[] | undefined): Statement | undefined {
  if (!config || typeof config !== 'object' || 'submit' in config || Object.keys(config).some((key) => !['text', 'values', 'name'].includes(key))) return undefined;
  const { text, values: own, name } = config as Statement;
  // As node-postgres: values given beside the config replace the config's own.
  return typeof text === 'string' ? { text, values: values ?? own, name } : undefined;
}
