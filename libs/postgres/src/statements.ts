import { PoolClient, QueryResult, QueryResultRow } from 'pg';
// node-postgres's own conversion of a parameter to its text form (arrays, JSON, dates): inlined values
// reach the server exactly as the same values sent as parameters would.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => string | Buffer | null };

/** One SQL statement and its parameters (`$1` …), to be sent with others in one round trip. */
export interface Statement {
  text: string;
  values?: unknown[];
}

/**
 * Several statements in ONE round trip: node-postgres sends a query without parameters in the simple
 * protocol, which takes many statements; so each statement's parameters are written into its text as
 * literals, escaped by node-postgres (an untyped literal is read exactly as an untyped parameter). The
 * server runs them in order and stops at the first error, which rejects the whole. Our statements only:
 * a `$n` inside a string literal of the SQL text itself would be replaced too.
 */
export async function sendTogether<Row extends QueryResultRow = QueryResultRow>(client: PoolClient, statements: (Statement | string)[]): Promise<QueryResult<Row>[]> {
  if (statements.length === 0) return [];
  const text = statements.map((statement) => (typeof statement === 'string' ? statement : inline(client, statement))).join(';\n');
  const result = (await client.query(text)) as unknown as QueryResult<Row> | QueryResult<Row>[];
  return Array.isArray(result) ? result : [result];
}

function inline(client: PoolClient, { text, values = [] }: Statement): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(client, values[Number(n) - 1]));
}

function literal(client: PoolClient, value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  // bytea in its hex text form (node-postgres would send a Buffer as a binary parameter).
  return client.escapeLiteral(Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : prepared);
}
