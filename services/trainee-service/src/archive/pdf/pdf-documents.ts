import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { businessDateOf } from '@skills/domain-kernel';
import type { ArchiveEntryAnswer, ArchiveRead } from '../archive-reads';
import { fontMissing, type PdfFontFile } from './pdf-font';
import { chineseDate, chineseTime, levelWords, occupationWithCode, occupationWords, routeWords } from './pdf-words';

/** A certificate as its printable page shows it, gathered from the archive's entries. */
export interface CertificateFacts {
  number: string;
  occupationCode: string;
  level: string;
  route: string;
  evaluator: string | undefined;
  certifiedOn: string;
  revokedOn: string | undefined;
  verificationUrl: string;
}

const text = (entry: ArchiveEntryAnswer, key: string): string => (typeof entry[key] === 'string' || typeof entry[key] === 'number' ? String(entry[key]) : '');

/** The day each revoked certificate of an archive was revoked, by its number: its certificate_revoked entry, a separate line of the same archive. */
function revocationsOf(entries: ArchiveEntryAnswer[]): Map<string, string> {
  return new Map(entries.filter((entry) => entry.kind === 'certificate_revoked').map((entry) => [text(entry, 'certificateNumber'), entry.at]));
}

/** How a PDF marks a revoked certificate, the certificate's own page and its line in the archive alike. */
const revokedWords = (revokedOn: string) => `已撤销（${chineseDate(revokedOn)}）`;

/** The certificates of an archive, in the order they were issued, each with whether it was revoked. */
export function certificatesOf(entries: ArchiveEntryAnswer[], verificationUrlOf: (number: string) => string): CertificateFacts[] {
  const revoked = revocationsOf(entries);
  return entries
    .filter((entry) => entry.kind === 'certified')
    .map((entry) => {
      const number = text(entry, 'certificateNumber');
      return {
        number,
        occupationCode: text(entry, 'occupationCode'),
        level: text(entry, 'level'),
        route: text(entry, 'route'),
        evaluator: text(entry, 'evaluator') || undefined,
        certifiedOn: entry.at,
        revokedOn: revoked.get(number),
        verificationUrl: verificationUrlOf(number),
      };
    });
}

/** A document set in the CJK font, collected into one buffer when it ends. */
function startDocument(font: PdfFontFile, title: string): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title }, lang: 'zh-CN', displayTitle: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.face);
  try {
    doc.font('cjk');
  } catch {
    // A collection without the face asked for (PDF_FONT_FACE), or a file that is no font.
    throw fontMissing(
      font.face
        ? `the font collection PDF_FONT names (${font.path}) has no face ${font.face}: set PDF_FONT_FACE to one of its faces, or PDF_FONT to a CJK font file`
        : `the file PDF_FONT names (${font.path}) is no font the PDFs can be set in: set PDF_FONT to a CJK font file`,
    );
  }
  return { doc, done };
}

/** One line of the archive for one entry: what happened, in Chinese. */
function entryWords(entry: ArchiveEntryAnswer): string {
  const course = text(entry, 'courseTitle');
  const occupation = occupationWords(entry['occupationCode']);
  switch (entry.kind) {
    case 'enrolled':
      return `报名培训：${course}（${occupation}）`;
    case 'withdrew':
      return `退出培训：${course}（${occupation}）`;
    case 'assessed':
      return `培训考核：${course}，${entry['passed'] ? '合格' : '不合格'}（${text(entry, 'score')} 分）${entry['corrects'] ? '（更正）' : ''}`;
    case 'certified':
      return `取得技能等级证书：${occupation} ${levelWords(entry['level'])}（${routeWords(entry['route'])}${text(entry, 'evaluator') ? `，${text(entry, 'evaluator')}` : ''}）`;
    case 'certificate_revoked':
      return `证书撤销：${occupation} ${levelWords(entry['revokedLevel'])}，原因：${text(entry, 'reason')}`;
    case 'hired':
      // The wage only where the caller's answer holds it (those party to the employment: ArchiveReads).
      return `就业：${occupation}${text(entry, 'monthlyWage') ? `，月工资：${text(entry, 'monthlyWage')} 元` : ''}`;
    case 'employment_ended':
      return `离职：${occupation}${text(entry, 'reason') ? `，原因：${text(entry, 'reason')}` : ''}`;
    default:
      return String(entry.kind);
  }
}

/**
 * What a PDF of an archive the read could not call complete (its freshness: facts still arriving, or parked as
 * dead letters) says of it, so that a copy handed to an employer does not pass for the whole record; null when complete.
 */
function incompleteWords({ completeUpTo, pendingFacts }: ArchiveRead['freshness'], madeAt: Date): string | null {
  if (completeUpTo !== null) return null;
  const lacking = pendingFacts ? `尚有 ${pendingFacts} 条记录未计入` : '可能尚有记录未计入';
  return `注意：截至 ${chineseDate(businessDateOf(madeAt))} ${chineseTime(madeAt)}（北京时间），本档案可能不完整，${lacking}。`;
}

/**
 * The lifelong training archive (终身职业技能培训电子档案) as a PDF, made at `madeAt`: the person, whether it
 * may be incomplete, every entry in business-date order (an employment's wage and end reason where the caller's
 * read holds them), and for each certificate its number and the URL anyone verifies it at.
 */
export function archivePdf(font: PdfFontFile, { trainee, entries, freshness }: ArchiveRead, verificationUrlOf: (number: string) => string, madeAt: Date): Promise<Buffer> {
  const { doc, done } = startDocument(font, '终身职业技能培训电子档案');
  doc.fontSize(20).text('终身职业技能培训电子档案', { align: 'center' }).moveDown();
  doc.fontSize(12);
  doc.text(`姓名：${trainee.name ?? '（个人信息已删除）'}`);
  doc.text(`身份证号：${trainee.idNumberMasked ?? '—'}`);
  doc.text(`登记日期：${chineseDate(trainee.registeredOn)}`);
  doc.text(`生成日期：${chineseDate(businessDateOf(madeAt))}`).moveDown();
  const incomplete = incompleteWords(freshness, madeAt);
  if (incomplete) doc.fillColor('#b00020').text(incomplete).fillColor('black').moveDown();
  doc.fontSize(14).text('档案记录').moveDown(0.5);
  if (entries.length === 0) doc.fontSize(11).text('档案中还没有记录。');
  // A certificate later revoked is marked on the line of its issue, so that the line is not read as a certificate held.
  const revoked = revocationsOf(entries);
  for (const entry of entries) {
    const revokedOn = entry.kind === 'certified' ? revoked.get(text(entry, 'certificateNumber')) : undefined;
    doc.fontSize(11).fillColor('black').text(`${chineseDate(entry.at)}  ${entryWords(entry)}`, { continued: revokedOn !== undefined });
    if (revokedOn) doc.fillColor('#b00020').text(`  ${revokedWords(revokedOn)}`).fillColor('black');
    if (entry.kind === 'certified' || entry.kind === 'certificate_revoked') {
      const number = text(entry, 'certificateNumber');
      const url = verificationUrlOf(number);
      doc.fontSize(10).text(`证书编号：${number}`, { indent: 24 });
      doc.text('核验网址：', { indent: 24, continued: true }).fillColor('#1a4f9c').text(url, { link: url, underline: true }).fillColor('black');
    }
    doc.moveDown(0.4);
  }
  doc.end();
  return done;
}

/** The QR code of `url` drawn as squares, `size` points wide, its top left at (x, y). */
async function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): Promise<void> {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cell = size / (modules.size + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('white');
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) doc.rect(x + (column + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill('black').restore();
}

/** One certificate as a printable A4 page, with the QR code of its verification URL. */
export async function certificatePdf(font: PdfFontFile, holderName: string | null, certificate: CertificateFacts): Promise<Buffer> {
  const { doc, done } = startDocument(font, `职业技能等级证书 ${certificate.number}`);
  doc.fontSize(28).text('职业技能等级证书', { align: 'center' }).moveDown(1.5);
  const line = (label: string, value: string) => doc.fontSize(14).text(`${label}：${value}`).moveDown(0.3);
  line('姓名', holderName ?? '（个人信息已删除）');
  line('职业（工种）', occupationWithCode(certificate.occupationCode));
  line('技能等级', levelWords(certificate.level));
  line('评价方式', routeWords(certificate.route));
  if (certificate.evaluator) line('评价机构', certificate.evaluator);
  line('发证日期', chineseDate(certificate.certifiedOn));
  line('证书编号', certificate.number);
  if (certificate.revokedOn) {
    doc.moveDown(0.5).fontSize(20).fillColor('#b00020').text(revokedWords(certificate.revokedOn)).fillColor('black').moveDown(0.5);
  }
  const qrSize = 160;
  const top = doc.y + 12;
  await drawQr(doc, certificate.verificationUrl, (doc.page.width - qrSize) / 2, top, qrSize);
  doc.y = top + qrSize + 8;
  doc.fontSize(10).text('扫描二维码或访问以下网址核验本证书：', { align: 'center' });
  doc.fillColor('#1a4f9c').text(certificate.verificationUrl, { align: 'center', link: certificate.verificationUrl }).fillColor('black');
  doc.end();
  return done;
}
