// The archive PDF marks the line of a certificate later revoked (its revocation is a separate line of the
// same archive), as the certificate's own PDF does, so that the line is not read as a certificate held.
// What pdftotext (poppler-utils) reads out of the PDF the archive makes.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ArchiveRead } from '../archive-reads';
import { archivePdf } from './pdf-documents';
import { PdfFont } from './pdf-font';

const HELD = 'S000143430200224000002';
const REVOKED = 'S000143430200224000001';

const textOf = async (pdf: Buffer) => {
  const file = join(mkdtempSync(join(tmpdir(), 'archive-pdf-')), 'archive.pdf');
  writeFileSync(file, pdf);
  return (await promisify(execFile)('pdftotext', [file, '-'])).stdout;
};

const certified = (certificateNumber: string, occupationCode: string, at: string) => ({
  at,
  kind: 'certified',
  context: 'certification',
  certificateNumber,
  occupationCode,
  level: 'intermediate',
  previousLevel: null,
  route: 'assessment',
  evaluator: '株洲市技能评价中心',
});

describe('the archive PDF', () => {
  it('marks a revoked certificate’s line 已撤销 with the day, and a certificate held not', async () => {
    const archive = {
      trainee: { id: 'a', name: '王建国', idNumberMasked: '430202********0011', registeredOn: '2021-01-04' },
      entries: [
        certified(REVOKED, '6-31-01-03', '2022-05-06'),
        certified(HELD, '6-18-02-04', '2022-05-07'),
        { at: '2022-06-01', kind: 'certificate_revoked', context: 'certification', certificateNumber: REVOKED, occupationCode: '6-31-01-03', revokedLevel: 'intermediate', levelAfter: null, reason: '材料不实' },
      ],
      freshness: { completeUpTo: '2026-12-07T04:30:00.000Z', pendingFacts: 0 },
    } as unknown as ArchiveRead;
    // Without the spaces and line breaks pdftotext puts where a long line wraps.
    const text = (await textOf(await archivePdf(new PdfFont().file(), archive, (number) => `https://example.test/verify/${number}`, new Date('2026-12-07T04:30:00Z')))).replace(/\s+/g, '');
    /** An entry's line: from its words to the certificate number printed beneath it. */
    const lineOf = (start: string) => text.slice(text.indexOf(start), text.indexOf('证书编号', text.indexOf(start)));
    expect(lineOf('取得技能等级证书：电工')).toContain('已撤销（2022年6月1日）');
    expect(lineOf('取得技能等级证书：焊工')).not.toContain('已撤销');
    expect(lineOf('取得技能等级证书：焊工')).toContain('中级工');
  });
});
