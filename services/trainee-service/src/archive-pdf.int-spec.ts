// The archive and a certificate as PDFs (GET …/archive/pdf, …/certificates/{number}/pdf): what
// pdftotext reads out of them (poppler-utils, installed by .ci/run), and the archive's permission.
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, fact, http, parkDeadLetter, publishFacts, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ARCHIVE_CONSUMER } from './archive/archive.consumer';
import { TraineeModule } from './trainee.module';

const WELDING = 'S000143430200215000001';
const ELECTRICAL = 'S000143430200215000002';

describe('the archive and certificates as PDFs', () => {
  let service: ServiceSpec;
  let traineeId: string;
  let self: Record<string, string>;
  const evaluator = randomUUID();
  const provider = randomUUID();
  const employer = randomUUID();
  const idNumber = testIdentityNumber(7300);
  const download = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${service.host.baseUrl}${path}`, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  };
  // The tools run asynchronously: the service answers in this same process and must not be blocked meanwhile.
  const run = promisify(execFile);
  const saved = (pdf: Buffer) => {
    const file = join(mkdtempSync(join(tmpdir(), 'trainee-pdf-')), 'document.pdf');
    writeFileSync(file, pdf);
    return file;
  };
  const textOf = async (pdf: Buffer) => (await run('pdftotext', [saved(pdf), '-'])).stdout;
  /** What the QR code on the page says, read from the page drawn at 100 dpi (quick to decode: the service in this process waits meanwhile) (pdftoppm, poppler-utils). */
  const qrOf = async (pdf: Buffer) => {
    const file = saved(pdf);
    await run('pdftoppm', ['-r', '100', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    const png = PNG.sync.read(readFileSync(file.replace(/\.pdf$/, '.png')));
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  };
  const certified = (certificateNumber: string, occupationCode: string, level: string, certifiedOn: string) =>
    fact(CERTIFICATION_TOPIC, 'LevelCertified', {
      certificateNumber,
      traineeId,
      occupationCode,
      level,
      previousLevel: null,
      route: 'direct',
      evaluatorId: evaluator,
      evaluatorName: '株洲市技能评价中心',
      evaluatorCreditCode: '91430200MA4L000001',
      certifiedOn,
    });

  beforeAll(async () => {
    // The PDFs are made at 12:30 Beijing time (the incomplete archive's line says so).
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', clock: fixedClock('2026-12-07T04:30:00.000Z') });
    const registrar = bearer(await service.issuer.token({ role: 'platform_admin' }));
    const registered = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name: '王建国', idNumber, phone: '13800000000' }, registrar);
    expect(registered.status).toBe(201);
    traineeId = registered.body.id;
    self = bearer(await service.issuer.token({ role: 'trainee', traineeId }));
    const employment = { employmentId: randomUUID(), traineeId, employerId: employer, employerCreditCode: '91430200MA4L000002', employerIndustryCode: 'C', industryCode: 'C', occupationCode: '6-18-02-04' };
    await publishFacts(service.host, [
      fact(TRAINING_TOPIC, 'TraineeEnrolled', {
        enrollmentId: randomUUID(),
        courseId: randomUUID(),
        traineeId,
        enrolledOn: '2021-03-01',
        course: { title: '焊工（初级）培训班', providerId: provider, providerCreditCode: '91430200MA4L000000', occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill' },
      }),
      certified(WELDING, '6-18-02-04', 'junior', '2021-04-01'),
      certified(ELECTRICAL, '6-31-01-03', 'intermediate', '2022-05-06'),
      fact(CERTIFICATION_TOPIC, 'CertificateRevoked', { certificateNumber: ELECTRICAL, traineeId, occupationCode: '6-31-01-03', revokedLevel: 'intermediate', levelAfter: null, reason: '材料不实', revokedOn: '2022-06-01' }),
      fact(PLACEMENT_TOPIC, 'TraineeHired', { ...employment, placementId: randomUUID(), regionCode: '430202', startDate: '2022-07-01', monthlyWage: 7800 }, { key: employment.employmentId }),
      fact(PLACEMENT_TOPIC, 'EmploymentEnded', { ...employment, startDate: '2022-07-01', endDate: '2023-06-30', reason: '劳动合同期满' }, { key: employment.employmentId }),
    ]);
  });

  afterAll(() => service?.close());

  it('gives the trainee their archive as a PDF: name, Chinese occupations and levels, certificate numbers and URLs, no full identity number', async () => {
    const pdf = await download(`/api/v1/trainees/${traineeId}/archive/pdf?consistent=true`, self);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="archive-${traineeId}.pdf"`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await textOf(pdf.body);
    for (const words of ['王建国', '焊工', '电工', '初级工', '中级工', '2021年4月1日', WELDING, ELECTRICAL, `/verify/${WELDING}`, '证书撤销']) expect(text).toContain(words);
    expect(text).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    expect(text).not.toContain(idNumber);
  });

  it('shows a hire’s wage and an employment’s end reason to those party to it (the trainee, the employer), not to a school that trained them', async () => {
    const archiveAs = async (headers: Record<string, string>) => {
      const pdf = await download(`/api/v1/trainees/${traineeId}/archive/pdf?consistent=true`, headers);
      expect(pdf.status).toBe(200);
      return textOf(pdf.body);
    };
    for (const party of [self, bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employer }))]) {
      const text = await archiveAs(party);
      for (const words of ['就业：焊工，月工资：7800 元', '离职：焊工，原因：劳动合同期满']) expect(text).toContain(words);
      // Complete: nothing says otherwise.
      expect(text).not.toContain('可能不完整');
    }
    const school = await archiveAs(bearer(await service.issuer.token({ role: 'school_staff', organisationId: provider })));
    expect(school).toContain('就业：焊工');
    expect(school).toContain('离职：焊工');
    for (const words of ['月工资', '7800', '劳动合同期满']) expect(school).not.toContain(words);
  });

  it('gives a certificate as a printable PDF with its number and verification URL, and says when it was revoked', async () => {
    const welding = await download(`/api/v1/trainees/${traineeId}/certificates/${WELDING.toLowerCase()}/pdf?consistent=true`, self);
    expect(welding.status).toBe(200);
    expect(welding.headers.get('content-disposition')).toBe(`attachment; filename="certificate-${WELDING}.pdf"`);
    const text = await textOf(welding.body);
    for (const words of ['王建国', '焊工', '初级工', '株洲市技能评价中心', WELDING, `/verify/${WELDING}`]) expect(text).toContain(words);
    expect(text).not.toContain('已撤销');
    expect(await textOf((await download(`/api/v1/trainees/${traineeId}/certificates/${ELECTRICAL}/pdf`, self)).body)).toContain('已撤销');
    // The QR code says the very URL printed beneath it (PUBLIC_ORIGIN's).
    const url = await qrOf(welding.body);
    expect(url).toMatch(new RegExp(`^https?://[^/]+/verify/${WELDING}$`));
    expect(text).toContain(url);
  });

  it('answers 404 to whoever may not read the archive, for a certificate not in it, and 400 for a malformed number', async () => {
    const other = bearer(await service.issuer.token({ role: 'trainee', traineeId: randomUUID() }));
    const stranger = bearer(await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    for (const headers of [other, stranger]) {
      expect((await download(`/api/v1/trainees/${traineeId}/archive/pdf`, headers)).status).toBe(404);
      expect((await download(`/api/v1/trainees/${traineeId}/certificates/${WELDING}/pdf`, headers)).status).toBe(404);
    }
    expect((await download(`/api/v1/trainees/${traineeId}/certificates/S000143430200215000009/pdf`, self)).status).toBe(404);
    expect((await download(`/api/v1/trainees/${traineeId}/certificates/nonsense/pdf`, self)).status).toBe(400);
  });

  // Last: it leaves the trainee's archive incomplete.
  it('says the archive may be incomplete, as of when it was made, while a fact of the trainee waits as a dead letter', async () => {
    const sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
    try {
      await parkDeadLetter(sql, ARCHIVE_CONSUMER, CERTIFICATION_TOPIC, { type: 'LevelCertified', aggregateId: traineeId, payload: { traineeId, certificateNumber: 'S000143430200215000003' } });
    } finally {
      await sql.end();
    }
    const pdf = await download(`/api/v1/trainees/${traineeId}/archive/pdf?consistent=true`, self);
    expect(pdf.status).toBe(200);
    const text = (await textOf(pdf.body)).replace(/\s+/g, '');
    expect(text).toContain('注意：截至2026年12月7日12:30（北京时间），本档案可能不完整，尚有1条记录未计入。');
  });
});
