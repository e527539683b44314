import { rankOf, SKILL_LEVELS } from '@skills/domain-kernel';
import { SPEC_NOW } from '@skills/testing';
import fc from 'fast-check';
import { Certify, EXCEPTIONAL_REASONS, Ladder, ladderAggregate, LadderCommand, LadderEvent, levelOf } from './ladder.aggregate';

const rank = (ladder: Ladder) => {
  const level = levelOf(ladder);
  return level ? rankOf(level) : 0;
};

/** The model, from the recorded events alone: each certificate with its rank, dates and revocation date. */
type ModelCertificate = { number: string; rank: number; certifiedOn: string; revokedOn?: string };
const modelOf = (events: LadderEvent[]): ModelCertificate[] => {
  const certificates = new Map<string, ModelCertificate>();
  for (const event of events) {
    if (event.type === 'LevelCertified') certificates.set(event.data.certificateNumber, { number: event.data.certificateNumber, rank: rankOf(event.data.level), certifiedOn: event.data.certifiedOn });
    else if (event.type === 'CertificateVoided') certificates.delete(event.data.certificateNumber);
    else certificates.get(event.data.certificateNumber)!.revokedOn = event.data.revokedOn;
  }
  return [...certificates.values()];
};
/** The rank held on `day`: a certificate counts from its certifiedOn until the day before its revokedOn. */
const modelRankOn = (certificates: ModelCertificate[], day: string) =>
  Math.max(0, ...certificates.filter((c) => c.certifiedOn <= day && (c.revokedOn === undefined || c.revokedOn > day)).map((c) => c.rank));

const date = fc.integer({ min: 0, max: 2000 }).map((days) => new Date(Date.UTC(2018, 0, 1) + days * 86_400_000).toISOString().slice(0, 10));

const certifyCommand = fc.record({
  level: fc.constantFrom(...SKILL_LEVELS),
  route: fc.constantFrom('assessment' as const, 'direct' as const, 'exceptional' as const, 'appointment' as const),
  certifiedOn: date,
  employer: fc.boolean(),
  evaluatorEmploysWorker: fc.boolean(),
  reason: fc.option(fc.constantFrom(...EXCEPTIONAL_REASONS), { nil: undefined }),
  evidence: fc.option(fc.constant('证据'), { nil: undefined }),
  justification: fc.option(fc.constant('理由'), { nil: undefined }),
});

/** Staff of the one evaluator that makes (and so may revoke) every certificate here. */
const by = { userId: 'u', role: 'evaluator_staff' as const, organisationId: 'e', via: 'token' as const };

type CertifyStep = typeof certifyCommand extends fc.Arbitrary<infer T> ? T : never;
/** The certification a generated step asks for, by the one evaluator's staff. */
const certification = (taken: CertifyStep, certificateNumber: string): Certify => ({
  type: 'Certify',
  certificateNumber,
  traineeId: 't',
  occupationCode: '6-18-02-04',
  regionCode: '430202',
  level: taken.level,
  route: taken.route,
  certifiedOn: taken.certifiedOn,
  evaluator: { evaluatorId: 'e', name: 'e', kind: taken.employer ? 'employer' : 'social_organisation', creditCode: 'c', regionCode: '430202' },
  evaluatorEmploysWorker: taken.evaluatorEmploysWorker,
  holderAge: 'of_working_age',
  reason: taken.reason,
  evidence: taken.evidence,
  justification: taken.justification,
  by,
});

const step = fc.oneof(
  { weight: 4, arbitrary: certifyCommand.map((c) => ({ kind: 'certify' as const, ...c })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), revokedOn: date }).map((revocation) => ({ kind: 'revoke' as const, ...revocation })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat() }).map((voiding) => ({ kind: 'void' as const, ...voiding })) },
);

/** Commands decided across a property's runs, and those accepted (events recorded), by kind. */
const tallied = () => ({ Certify: { decided: 0, accepted: 0 }, RevokeCertificate: { decided: 0, accepted: 0 }, VoidCertificate: { decided: 0, accepted: 0 } });

describe('ladder property: no sequence of accepted commands lowers a level, except a revocation or a void', () => {
  it('holds for random sequences of certifications, revocations and voids on every route', () => {
    const tally = tallied();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let ladder = ladderAggregate.initialState();
        const recorded: LadderEvent[] = [];
        steps.forEach((taken, index) => {
          // A revocation or a void names a certificate of the ladder (it is found through the number's index).
          if (taken.kind !== 'certify' && ladder.certificates.length === 0) return;
          const picked = () => ladder.certificates[(taken as { pick: number }).pick % ladder.certificates.length].certificateNumber;
          const command: LadderCommand =
            taken.kind === 'revoke'
              ? { type: 'RevokeCertificate', certificateNumber: picked(), reason: 'r', revokedOn: taken.revokedOn, by }
              : taken.kind === 'void'
                ? { type: 'VoidCertificate', certificateNumber: picked(), reason: 'r', by, evaluatorHoldsOthers: false }
                : certification(taken, `C-${index}`);
          let events;
          tally[command.type].decided++;
          try {
            events = ladderAggregate.decide(command, ladder, SPEC_NOW);
          } catch (error) {
            if (!(error as { rule?: string }).rule) throw error; // only domain refusals may be thrown
            return;
          }
          if (events.length > 0) tally[command.type].accepted++;
          const before = rank(ladder);
          // Judged at its own date, on what stands now: the level it rose from is the one the model's
          // certificates not revoked (whenever) give on certifiedOn, never one a revoked certificate gave.
          if (command.type === 'Certify' && events[0].type === 'LevelCertified') {
            const previous = events[0].data.previousLevel;
            const standing = modelOf(recorded).filter((c) => c.revokedOn === undefined);
            expect(previous ? rankOf(previous) : 0).toBe(modelRankOn(standing, command.certifiedOn));
          }
          ladder = events.reduce(ladderAggregate.evolve, ladder);
          recorded.push(...events);
          // The certificates still valid climb with their dates: a backdated one never reaches a later one.
          const valid = modelOf(recorded)
            .filter((c) => c.revokedOn === undefined)
            .sort((a, b) => a.certifiedOn.localeCompare(b.certifiedOn) || a.rank - b.rank);
          valid.slice(1).forEach((c, i) => expect(c.rank).toBeGreaterThan(valid[i].rank));
          if (command.type === 'Certify') expect(rank(ladder)).toBeGreaterThanOrEqual(before);
          // A revocation lowers the level at most to the highest remaining valid certificate.
          if (command.type === 'RevokeCertificate') expect(levelOf(ladder)).toBe(events[0].type === 'CertificateRevoked' ? events[0].data.levelAfter : undefined);
          // A void leaves the level of the certificates left, as if the voided one had never been recorded.
          if (command.type === 'VoidCertificate') {
            expect(levelOf(ladder)).toBe(events[0].type === 'CertificateVoided' ? events[0].data.levelAfter : undefined);
            expect(ladder.certificates.some((held) => held.certificateNumber === command.certificateNumber)).toBe(false);
          }
          // Only appointments reach the two appointed grades.
          expect(rank(ladder)).toBeLessThanOrEqual(8);
        });
      }),
      { numRuns: 500 },
    );
    // Not vacuously: a property over refused commands says nothing. About 12 % of the random
    // certifications and 35-40 % of the revocations are accepted; a decide refusing (nearly) all fails here.
    expect(tally.Certify.accepted).toBeGreaterThanOrEqual(tally.Certify.decided * 0.05);
    expect(tally.RevokeCertificate.accepted).toBeGreaterThanOrEqual(tally.RevokeCertificate.decided * 0.15);
    expect(tally.RevokeCertificate.decided).toBeGreaterThan(0);
    expect(tally.VoidCertificate.accepted).toBeGreaterThanOrEqual(tally.VoidCertificate.decided * 0.15);
    expect(tally.VoidCertificate.decided).toBeGreaterThan(0);
  });
});

describe('ladder property: a certification recorded under later ones leaves each of them as its route allowed it', () => {
  it('holds for random sequences of certifications on every route, judged again against the ladder they end on', () => {
    const tally = tallied();
    let judgedAgain = 0;
    fc.assert(
      fc.property(fc.array(certifyCommand, { maxLength: 30 }), (steps) => {
        let ladder = ladderAggregate.initialState();
        const accepted: Certify[] = [];
        steps.forEach((taken, index) => {
          const command = certification(taken, `C-${index}`);
          tally.Certify.decided++;
          try {
            ladder = ladderAggregate.decide(command, ladder, SPEC_NOW).reduce(ladderAggregate.evolve, ladder);
            accepted.push(command);
            tally.Certify.accepted++;
          } catch (error) {
            if (!(error as { rule?: string }).rule) throw error; // only domain refusals may be thrown
          }
        });
        // Each accepted certificate, judged again against what stands before it now (the certificates dated
        // before it, or recorded before it), is accepted again: nothing recorded after it broke its route's rules.
        ladder.certificates.forEach((held, position) => {
          const command = accepted.find((each) => each.certificateNumber === held.certificateNumber) as Certify;
          const before: Ladder = { certificates: ladder.certificates.filter((other, n) => n < position || (n !== position && other.certifiedOn < held.certifiedOn)) };
          expect(() => ladderAggregate.decide(command, before, SPEC_NOW)).not.toThrow();
          judgedAgain++;
        });
      }),
      { numRuns: 500 },
    );
    // Not vacuously: about 12 % of the random certifications are accepted, and each of them was judged again.
    expect(tally.Certify.accepted).toBeGreaterThanOrEqual(tally.Certify.decided * 0.05);
    expect(judgedAgain).toBe(tally.Certify.accepted);
  });
});
