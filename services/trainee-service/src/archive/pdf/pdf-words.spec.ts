// How the PDFs name an occupation: its name with its code, and the code once where no name is known
// (a certificate of an occupation the table lacks printed 6-16-02-01（6-16-02-01）).
import { occupationWithCode } from './pdf-words';

describe('occupationWithCode', () => {
  it('gives the name with its code, and a code the table has no name for once', () => {
    expect(occupationWithCode('6-18-02-04')).toBe('焊工（6-18-02-04）');
    expect(occupationWithCode('6-16-02-01')).toBe('6-16-02-01');
  });
});
