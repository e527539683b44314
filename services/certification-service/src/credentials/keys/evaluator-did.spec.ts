import { statusListOfUrl, statusListUrl } from '../issue/credential-document';
import { evaluatorDid, evaluatorOfDid } from './evaluator-did';

const ORIGIN = 'http://localhost:3000';
const EVALUATOR = '0d5c3a52-7f0e-4c1b-9a53-2b6f0e8d4c11';
const DID_PREFIX = 'did:web:localhost%3A3000:evaluators:';

describe('the evaluator id a submitted DID or status list URL names: a UUID, or none', () => {
  it('reads back the DID and the status list URL the platform writes', () => {
    expect(evaluatorOfDid(ORIGIN, evaluatorDid(ORIGIN, EVALUATOR))).toBe(EVALUATOR);
    expect(statusListOfUrl(ORIGIN, statusListUrl(ORIGIN, EVALUATOR, 12))).toEqual({ evaluatorId: EVALUATOR, listNumber: 12 });
  });

  // Each of these reached the database's uuid column (a 500, SQLSTATE 22P02) when any 36 of [0-9a-f-] passed.
  it.each(['a'.repeat(36), '-'.repeat(36), '0d5c3a52-7f0e-4c1b-9a53-2b6f0e8d4c1-', '0d5c3a527f0e-4c1b-9a53-2b6f0e8d4c11-', `${EVALUATOR}0`, '', `${EVALUATOR}/x`])('names no evaluator with the id %j', (id) => {
    expect(evaluatorOfDid(ORIGIN, `${DID_PREFIX}${id}`)).toBeUndefined();
    expect(statusListOfUrl(ORIGIN, `${ORIGIN}/api/v1/evaluators/${id}/status-lists/0`)).toBeUndefined();
  });

  it('names no list of another origin, nor a list number other than 1 to 6 digits without a leading zero', () => {
    expect(evaluatorOfDid(ORIGIN, `did:web:example.com:evaluators:${EVALUATOR}`)).toBeUndefined();
    for (const list of ['', '01', '1234567', '1a', '-1']) expect(statusListOfUrl(ORIGIN, `${ORIGIN}/api/v1/evaluators/${EVALUATOR}/status-lists/${list}`)).toBeUndefined();
    expect(statusListOfUrl(ORIGIN, `https://example.com/api/v1/evaluators/${EVALUATOR}/status-lists/0`)).toBeUndefined();
  });
});
