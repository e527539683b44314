import { http, testAdultIdentityNumber, testCreditCode } from '@skills/testing';
import { Locale } from '../browser';
import { WorkspaceContext } from './workspace-context';

export const WELDER = '6-18-02-04';

/** A business date `days` before today (UTC). */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86400_000).toISOString().slice(0, 10);

/** An evaluator, its staff user (signed in through the API too) and a person registered for it to certify, as an evaluator flow starts. */
export interface EvaluatorWithPerson {
  evaluatorId: string;
  staff: Awaited<ReturnType<WorkspaceContext['newUser']>>;
  /** The staff user's bearer header, for what the flow sets up through the API. */
  asStaff: Record<string, string>;
  traineeId: string;
  idNumber: string;
  name: string;
}

/**
 * Set up through the API: an evaluator of Zhuzhou named `evaluatorName` (its credit code and the person's
 * identity number and phone from `n`, the flow's number for the locale), its staff user, and the person `name`.
 */
export async function evaluatorWithPerson(context: WorkspaceContext, locale: Locale, n: number, evaluatorName: string, name: string): Promise<EvaluatorWithPerson> {
  const { host } = context;
  const admin = { authorization: `Bearer ${context.adminToken}` };
  const registered = await http(host.baseUrl, 'POST', '/api/v1/evaluators', { name: `${evaluatorName} ${locale}`, creditCode: testCreditCode(n), regionCode: '430200', kind: 'social_organisation' }, admin);
  if (registered.status !== 201) throw new Error(`registering the evaluator answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  const evaluatorId = registered.body.id as string;
  const staff = await context.newUser({ role: 'evaluator_staff', organisationId: evaluatorId });
  const token = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: staff.username, password: staff.password });
  const asStaff = { authorization: `Bearer ${token.body.access_token as string}` };
  const idNumber = testAdultIdentityNumber(n);
  const trainee = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber, phone: `1380031${String(n).slice(-4)}` }, admin);
  if (trainee.status !== 201) throw new Error(`registering the trainee answered ${trainee.status}: ${JSON.stringify(trainee.body)}`);
  return { evaluatorId, staff, asStaff, traineeId: trainee.body.id as string, idNumber, name };
}
