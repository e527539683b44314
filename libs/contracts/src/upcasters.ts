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
};

/** The schema version producers publish for a message type. */
export function currentSchemaVersion(type: string): number {
  return (UPCASTERS[type]?.length ?? 0) + 1;
}

/** The envelope with its payload brought to the current schema version of its type. */
export function upcast<Envelope extends IntegrationEnvelope>(envelope: Envelope): Envelope {
  const steps = UPCASTERS[envelope.type] ?? [];
  const from = envelope.schemaVersion ?? 1;
  if (from > steps.length + 1) throw new Error(`${envelope.type} v${from} is newer than this consumer knows (v${steps.length + 1})`);
  if (from === steps.length + 1) return envelope;
  const payload = steps.slice(from - 1).reduce((current, step) => step(current), envelope.payload as unknown);
  return { ...envelope, schemaVersion: steps.length + 1, payload };
}
