import { bearer, http, testAdultIdentityNumber, testCreditCode, testIssuer } from '@skills/testing';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { HOST_ENV } from '../latency/replica-latency';
import { ChildHandle } from '../support/child';
import { createBenchDatabase, withClient } from '../support/postgres';
import type { ServiceName } from '../latency/host';
import type { RoundTrip } from './counter';

export interface RoundTripOptions {
  serverUrl: string;
  brokers: string[];
  log: (line: string) => void;
}

export interface CommandRoundTrips {
  command: string;
  route: string;
  /** The service that owns the command; its pool is the one counted. */
  service: ServiceName;
  /** Every query the request sent on the owning service's pool (background loops excluded). */
  total: number;
  /** Of those, BEGIN … COMMIT included. */
  inTransaction: number;
  /** Queries of background loops the request woke (outbox relay, projections), not in `total`. */
  background: number;
  /** Queries on other services' pools in the same request (none expected). */
  otherPools: number;
  statements: RoundTrip[];
}

const HOST = path.join(__dirname, '..', 'latency', 'host.ts');
/** Requests whose X-Correlation-Id starts with this are counted by the host. */
const PREFIX = 'bench-round-trips-';
const WELDER = '6-18-02-04';
/** Anything the request started after its answer (a wake-up NOTIFY) lands within this. */
const SETTLE_MS = 300;

/**
 * trainee-, training-, certification- and placement-service in one host process on Kafka, with a
 * counter on each service's pool (bench/round-trips/counter.ts). Each command kind is sent twice over
 * HTTP, as a school, an evaluator or an employer would; the first warms up the route and its pool, and
 * the second is the one counted.
 */
export async function measureRoundTrips(options: RoundTripOptions): Promise<CommandRoundTrips[]> {
  const issuer = await testIssuer();
  const database = await createBenchDatabase(options.serverUrl, 'round_trips');
  const host = ChildHandle.start('services for round trips', HOST, HOST_ENV);
  try {
    const suffix = randomBytes(3).toString('hex');
    const { baseUrl } = await host.call<{ baseUrl: string }>('start', {
      services: ['trainee', 'training', 'certification', 'placement'],
      databaseUrl: database.url,
      kafkaBrokers: options.brokers,
      clientId: `round-trips-bench-${suffix}`,
      countRoundTripsOf: PREFIX,
    });
    options.log('  trainee-, training-, certification- and placement-service started in one process, a counter on each pool');

    const made = async (token: string, route: string, body: unknown, correlationId?: string): Promise<Record<string, string>> => {
      const answer = await http(baseUrl, 'POST', route, body, { ...bearer(token), ...(correlationId ? { 'x-correlation-id': correlationId } : {}) });
      if (answer.status !== 201) throw new Error(`POST ${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body as Record<string, string>;
    };
    const admin = await issuer.token({ role: 'platform_admin' });
    const organisation = (name: string, n: number) => ({ name, creditCode: testCreditCode(7000 + n), regionCode: '430200' });
    const provider = (await made(admin, '/api/v1/providers', organisation('基准测试焊接培训学校', 1))).id;
    const evaluator = (await made(admin, '/api/v1/evaluators', { ...organisation('基准测试焊接协会', 2), kind: 'social_organisation' })).id;
    const employer = (await made(admin, '/api/v1/employers', { ...organisation('基准测试装备公司', 3), industryCode: 'C37' })).id;
    const school = await issuer.token({ role: 'school_staff', organisationId: provider });
    const evaluatorStaff = await issuer.token({ role: 'evaluator_staff', organisationId: evaluator });
    const employerStaff = await issuer.token({ role: 'employer_staff', organisationId: employer });
    const course = (await made(school, '/api/v1/courses', { providerId: provider, title: '焊工（初级）', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-03-01', endDate: '2021-06-30' })).id;
    const placement = (await made(employerStaff, '/api/v1/placements', { employerId: employer, title: '铆焊工', occupationCode: WELDER, openings: 5, wageMin: 6000, wageMax: 9000, regionCode: '430200' })).id;

    const results: CommandRoundTrips[] = [];
    /** Sends the command for each trainee; the last one is counted, the ones before warm it up. */
    const measure = async (command: string, service: ServiceName, route: string, token: string, bodies: Array<Record<string, unknown>>): Promise<string[]> => {
      const answers: string[] = [];
      for (const [n, body] of bodies.entries()) {
        const correlationId = `${PREFIX}${command.replace(/\W+/g, '-')}-${n}`;
        const answer = await made(token, route, body, correlationId);
        answers.push(answer.id ?? answer.employmentId ?? answer.enrollmentId ?? answer.certificateNumber ?? '');
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const trips = await host.call<RoundTrip[]>('roundTrips', { correlationId });
        if (n < bodies.length - 1) continue;
        const own = trips.filter((trip) => trip.service === service);
        const counted = own.filter((trip) => !trip.background);
        results.push({
          command,
          route: `POST ${route.replace(course, ':id').replace(placement, ':id')}`,
          service,
          total: counted.length,
          inTransaction: counted.filter((trip) => trip.inTransaction).length,
          background: own.length - counted.length,
          otherPools: trips.length - own.length,
          statements: trips,
        });
      }
      return answers;
    };

    const person = (n: number) => ({ name: `往返${n}`, idNumber: testAdultIdentityNumber(n), phone: '13800000000' });
    const trainees = await measure('register', 'trainee', '/api/v1/trainees', school, [person(1), person(2)]);
    // Every other service must know both trainees first: a command that waits for its replica would count the wait.
    await replicasKnow(database.url, trainees);
    await measure('enrol', 'training', `/api/v1/courses/${course}/enrollments`, school, trainees.map((traineeId) => ({ traineeId, enrolledOn: '2021-03-02' })));
    await measure('record result', 'training', `/api/v1/courses/${course}/assessments`, school, trainees.map((traineeId) => ({ traineeId, passed: true, score: 88, assessedOn: '2021-06-20' })));
    await measure(
      'certify',
      'certification',
      '/api/v1/certifications',
      evaluatorStaff,
      trainees.map((traineeId) => ({ traineeId, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator, certifiedOn: '2021-07-01' })),
    );
    await measure('hire', 'placement', `/api/v1/placements/${placement}/hires`, employerStaff, trainees.map((traineeId) => ({ traineeId, startDate: '2021-08-01', monthlyWage: 8000 })));
    return results;
  } finally {
    await host.stop();
    await database.drop().catch(() => undefined);
  }
}

async function replicasKnow(url: string, trainees: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  await withClient(url, async (client) => {
    for (const schema of ['training', 'certification', 'placement']) {
      for (;;) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.known_trainees WHERE trainee_id = ANY($1::uuid[])`, [trainees]);
        if (Number(rows[0].n) === trainees.length) break;
        if (Date.now() > deadline) throw new Error(`${schema}-service did not learn the benchmark's trainees within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
}
