import { ProblemError } from '@skills/service-runtime';
import { archivePdf } from './pdf-documents';
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
    expect(new PdfFont().file()).toMatchObject({ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' });
  });

  it('reads the file once: later PDFs take the same bytes', () => {
    const font = new PdfFont();
    expect(font.file().data).toBe(font.file().data);
  });

  it('is a 503 naming PDF_FONT_FACE, never a 500, for a collection without the face asked for', async () => {
    const savedFace = process.env.PDF_FONT_FACE;
    process.env.PDF_FONT_FACE = 'NoSuchFace-Regular';
    try {
      const refusal = await Promise.resolve()
        .then(() => archivePdf(new PdfFont().file(), { trainee: { id: 'x' }, entries: [], freshness: { completeUpTo: null, pendingFacts: 0 } } as never, (number) => number, new Date('2025-01-01T00:00:00Z')))
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ProblemError);
      expect((refusal as ProblemError).problem).toMatchObject({ status: 503, rule: 'pdf_font_missing', detail: expect.stringContaining('PDF_FONT_FACE') });
    } finally {
      if (savedFace === undefined) delete process.env.PDF_FONT_FACE;
      else process.env.PDF_FONT_FACE = savedFace;
    }
  });
});
