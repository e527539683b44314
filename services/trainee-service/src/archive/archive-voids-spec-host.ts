// What the archive's void specs (certificate-, employment-, enrolment-void.int-spec.ts) share: trainee-service
// on its own, a platform admin, people registered with numbers of each spec's own, the archive and its
// documents read as they stand once every fact is in, and a message delivered again under a new id.
import { bearer, Fact, http, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TraineeModule } from '../trainee.module';

/** An archive entry as the answer gives it: its kind and context, and the details each spec picks from. */
export type ArchiveEntry = { kind: string; context: string } & Record<string, unknown>;

export interface ArchiveVoidsSpecHost {
  /** A person registered by the platform admin, with the next of the spec's identity numbers. */
  registered(): Promise<string>;
  /** The trainee's archive entries once every fact is in, checked complete: no fact parked, here nor in the projection. */
  entriesOf(traineeId: string): Promise<ArchiveEntry[]>;
  /** A document as the admin downloads it: status and bytes. */
  download(path: string): Promise<{ status: number; body: Buffer }>;
  /** A PDF's text (poppler's pdftotext). */
  textOf(pdf: Buffer): Promise<string>;
  /** The text of the trainee's archive PDF, once every fact is in. */
  archivePdfText(traineeId: string): Promise<string>;
  /** The registration's void, asked by the platform admin. */
  voidRegistration(traineeId: string): ReturnType<typeof http>;
  service(): ServiceSpec;
}

/** Starts trainee-service for the spec's describe block (beforeAll/afterAll); `numbersFrom`: the first of its identity numbers. */
export function archiveVoidsSpecHost({ name, numbersFrom }: { name: string; numbersFrom: number }): ArchiveVoidsSpecHost {
  let service: ServiceSpec;
  let admin: Record<string, string>;
  let serial = 0;
  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee' });
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
  });
  afterAll(() => service?.close());
  const download = async (path: string) => {
    const response = await fetch(`${service.host.baseUrl}${path}`, { headers: admin });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  };
  const textOf = async (pdf: Buffer) => {
    const file = join(mkdtempSync(join(tmpdir(), 'trainee-pdf-')), 'document.pdf');
    writeFileSync(file, pdf);
    return (await promisify(execFile)('pdftotext', [file, '-'])).stdout;
  };
  return {
    service: () => service,
    async registered() {
      const answer = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber: testIdentityNumber(numbersFrom + ++serial), phone: '13800000000' }, admin);
      expect(answer.status).toBe(201);
      return answer.body.id;
    },
    async entriesOf(traineeId) {
      const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive?consistent=true`, undefined, admin);
      expect(answer.status).toBe(200);
      expect(answer.body.freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
      return answer.body.entries;
    },
    download,
    textOf,
    async archivePdfText(traineeId) {
      const pdf = await download(`/api/v1/trainees/${traineeId}/archive/pdf?consistent=true`);
      expect(pdf.status).toBe(200);
      return textOf(pdf.body);
    },
    voidRegistration: (traineeId) => http(service.host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/void`, { reason: 'mistyped identity number' }, admin),
  };
}

/** The same message under a new id, as a replay from another source brings it (the inbox would drop the same id). */
export const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });
