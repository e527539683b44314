// What a 500 leaves in the log: the failure with any value its message quotes masked (a name or an
// identity number can be the value a database refused), and the stack's frames.
import { failureForLog } from './problem-details.filter';

describe("a 500's log line", () => {
  it('masks the values a database error quotes, and keeps the SQLSTATE and the frames', () => {
    const error = Object.assign(new Error('invalid input syntax for type integer: "王建国 430202199001011233"'), { code: '22P02' });
    const line = failureForLog(error);
    expect(line).not.toContain('王建国');
    expect(line).not.toContain('430202199001011233');
    expect(line.split('\n')[0]).toBe('SQLSTATE 22P02: Error: invalid input syntax for type integer: "…"');
    expect(line.split('\n').slice(1).length).toBeGreaterThan(0);
    expect(line.split('\n').slice(1).every((frame) => /^\s+at /.test(frame))).toBe(true);
  });

  it("masks what JSON.parse's words quote of the text it could not read", () => {
    let thrown: unknown;
    try {
      JSON.parse('{"idNumber":"430202199001011233","name":王建国}');
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toContain('王');
    const line = failureForLog(thrown).split('\n')[0];
    expect(line).not.toMatch(/王|建国|1233/);
    expect(line).toContain('is not valid JSON');
  });

  it('says what was thrown when it is no Error', () => {
    expect(failureForLog('a string thrown')).toBe('a string thrown');
  });
});
