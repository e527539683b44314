import { workingAgeFrom } from '@skills/domain-kernel';
import { IntegrationEnvelope } from './envelope';

/** Turns a payload of schema version n into version n + 1. */
type Upcaster = (payload: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Per message type, the upcasters in order: index 0 turns v1 into v2, and so on. A message is
 * published at the newest version; consumers upcast what older producers (or the retained log)
 * still hold, so handlers only ever see the newest shape.
 */
const UPCASTERS: Record<string, Upcaster[]> = {
  // v1 carried no edition; every v1 course was published while the 2022 classification was in force.
  CourseScheduled: [(v1) => ({ ...v1, occupationEdition: '2022' })],
  // v1 did not say who registered the trainee: no organisation is related through it.
  // v2 carried birth date and gender in clear: consumers keep only what v3 says (the 16th birthday of a minor).
  TraineeRegistered: [
    (v1) => ({ ...v1, registeredBy: null }),
    ({ birthDate, gender: _gender, ...v2 }) => ({ ...v2, workingAgeFrom: workingAgeFrom(birthDate, v2.registeredOn) }),
    // Figures count by the organisations' regions (domain.md section 6): the trainee's is nobody else's business.
    ({ regionCode: _regionCode, ...v3 }) => v3,
  ],
  // v1 did not say who issued the code: its redemption judges no session of theirs.
  ActivationCodeIssued: [(v1) => ({ ...v1, issuedBy: null })],
};

/** The schema version producers publish for a message type. */
export function currentSchemaVersion(type: string): number {
  return (UPCASTERS[type]?.length ?? 0) + 1;
}

/**
 * A message published at a schema version this consumer does not know yet: its producer was deployed
 * before it (a rolling deploy). Not the message's fault: a consumer holds it until one that knows the
 * version takes over, rather than parking it and applying the aggregate's later messages past it.
 */
export class NewerSchemaVersion extends Error {
  override name = 'NewerSchemaVersion';

  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly known: number,
  ) {
    super(`${type} v${schemaVersion} is newer than this consumer knows (v${known})`);
  }
}

/** The envelope with its payload brought to the current schema version of its type. */
export function upcast<Envelope extends IntegrationEnvelope>(envelope: Envelope): Envelope {
  const steps = UPCASTERS[envelope.type] ?? [];
  const from = envelope.schemaVersion ?? 1;
  if (from > steps.length + 1) {
    // A version no producer publishes (not a whole number) is the message's fault, not a deploy's.
    if (!Number.isInteger(from)) throw new Error(`${envelope.type} has no schema version ${from}`);
    throw new NewerSchemaVersion(envelope.type, from, steps.length + 1);
  }
  if (from === steps.length + 1) return envelope;
  const payload = steps.slice(from - 1).reduce((current, step) => step(current), envelope.payload as unknown);
  return { ...envelope, schemaVersion: steps.length + 1, payload };
}
