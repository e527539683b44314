import { ProblemError } from '@skills/service-runtime';
import { PdfFont } from './pdf-font';

describe('the PDFs’ CJK font (PDF_FONT)', () => {
  const saved = process.env.PDF_FONT;
  afterEach(() => (saved === undefined ? delete process.env.PDF_FONT : (process.env.PDF_FONT = saved)));

  it('is a 503 naming the package to install when the file is missing, never a 500', () => {
    process.env.PDF_FONT = '/nonexistent/NotoSansCJK-Regular.ttc';
    const refusal = (() => {
      try {
        new PdfFont().file();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ProblemError);
    expect((refusal as ProblemError).problem).toMatchObject({ status: 503, rule: 'pdf_font_missing', detail: expect.stringContaining('fonts-noto-cjk') });
  });

  it('picks the simplified-Chinese face out of a TrueType collection, and none out of a single font', () => {
    process.env.PDF_FONT = __filename;
    expect(new PdfFont().file().face).toBeUndefined();
    delete process.env.PDF_FONT;
    expect(new PdfFont().file()).toEqual({ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' });
  });
});
