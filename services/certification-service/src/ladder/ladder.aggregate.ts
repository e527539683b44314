import { Actor, FactsPosition } from '@skills/contracts';
import {
  AgeOnDate,
  assertNever,
  businessDateOf,
  DomainRefusal,
  EvaluatorKind,
  FieldRefusal,
  HIGHEST_CERTIFIED_LEVEL,
  isAppointedLevel,
  nationalGradeOf,
  NotPermitted,
  rankOf,
  readRecordedCertificateNumber,
  refuseFutureDate,
  SkillLevel,
  UnknownEntity,
} from '@skills/domain-kernel';

// One stream per worker and occupation: a level is held per occupation (domain.md section 2).

export type CertificationRoute = 'assessment' | 'direct' | 'exceptional' | 'appointment';
/**
 * How a certificate came onto the ladder: certified here by a route's rules, or `imported`, a certificate
 * of an earlier year recorded as it was issued (its route's rules are not judged again).
 */
export type CertificateRoute = CertificationRoute | 'imported';
export const EXCEPTIONAL_REASONS = ['major_technical_breakthrough', 'provincial_award', 'mentorship_achievement', 'competition_award'] as const;
export type ExceptionalReason = (typeof EXCEPTIONAL_REASONS)[number];

// ---- events ---------------------------------------------------------------------------------

export interface LevelCertified {
  type: 'LevelCertified';
  data: {
    certificateNumber: string;
    traineeId: string;
    occupationCode: string;
    /**
     * The region the distribution counts the certificate in: the evaluator's (domain.md section 6); on
     * events recorded before the trainee's region stopped leaving trainee-service, the worker's.
     */
    regionCode: string;
    level: SkillLevel;
    /** The level the rules judged against: the worker's level as of `certifiedOn` (for an imported one, as recorded then). */
    previousLevel: SkillLevel | null;
    route: CertificateRoute;
    /** An imported certificate whose number is of an earlier format, kept as issued (not domain.md section 1's). */
    legacyNumber?: true;
    /** The classification edition an imported certificate named its occupation in (certifications here: 2022). */
    occupationEdition?: string;
    evaluatorId: string;
    evaluatorName: string;
    evaluatorKind: EvaluatorKind;
    evaluatorCreditCode: string;
    /** The evaluator's region as registered when the certificate was issued; absent on events recorded before it was added. */
    evaluatorRegionCode?: string;
    certifiedOn: string;
    reason?: ExceptionalReason;
    evidence?: string;
    justification?: string;
    basedOnFacts?: FactsPosition;
    /** Which recording of the number (LevelCertifiedV1.recording): set from 2 on, for a number recorded again after a void. */
    recording?: number;
  };
}

export interface CertificateRevoked {
  type: 'CertificateRevoked';
  data: {
    certificateNumber: string;
    traineeId: string;
    occupationCode: string;
    revokedLevel: SkillLevel;
    /** The highest level still held by a valid certificate, or null. */
    levelAfter: SkillLevel | null;
    reason: string;
    revokedOn: string;
    /** The recording of the number revoked, from 2 on (LevelCertified's). */
    recording?: number;
  };
}

/**
 * A certificate recorded in error, voided: the ladder goes on as if it had never been recorded (a revoked
 * one, too). Its number is free for an import to record again, as the number's next recording.
 */
export interface CertificateVoided {
  type: 'CertificateVoided';
  data: {
    certificateNumber: string;
    traineeId: string;
    occupationCode: string;
    voidedLevel: SkillLevel;
    /** The highest level still held by a valid certificate, or null. */
    levelAfter: SkillLevel | null;
    /** The evaluator that had issued it. */
    evaluatorId: string;
    /** Whether the evaluator issued the worker another certificate still recorded (CertificateVoidedV1's). */
    evaluatorHoldsOthers: boolean;
    /** Why: kept with the record for good. */
    reason: string;
    voidedOn: string;
    /** The recording of the number voided, from 2 on (LevelCertified's). */
    recording?: number;
  };
}

export type LadderEvent = LevelCertified | CertificateRevoked | CertificateVoided;

// ---- commands -------------------------------------------------------------------------------

export interface Certify {
  type: 'Certify';
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
  regionCode: string;
  level: SkillLevel;
  route: CertificationRoute;
  certifiedOn: string;
  evaluator: { evaluatorId: string; name: string; kind: EvaluatorKind; creditCode: string; regionCode: string };
  /** Whether the evaluator (by credit code) employs the worker on `certifiedOn`, from placement events. */
  evaluatorEmploysWorker: boolean;
  /** The holder's age on `certifiedOn` as trainee-service tells it (TraineeAges); null when it knows nothing (erased). */
  holderAge: AgeOnDate | null;
  /** How far placement's facts had reached when `evaluatorEmploysWorker` was read (direct and appointment). */
  basedOnFacts?: FactsPosition;
  reason?: ExceptionalReason;
  evidence?: string;
  justification?: string;
  /** Who asks: staff of `evaluator` (domain.md section 9). */
  by: Actor;
}

export interface RevokeCertificate {
  type: 'RevokeCertificate';
  certificateNumber: string;
  /** Who asks: staff of the evaluator that issued the certificate (domain.md section 9). */
  by: Actor;
  reason: string;
  /** Defaults to today (by the pipeline's clock). */
  revokedOn?: string;
}

/**
 * A certificate of an earlier year, recorded as it was issued (an import of historical certificates):
 * its number, date and level are checked, the routes' progression rules are not judged again, and the
 * level becomes the highest valid certificate's, as always.
 */
export interface RecordImportedCertificate {
  type: 'RecordImportedCertificate';
  /** In capitals: the current format (domain.md section 1), or an earlier one kept as given. */
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
  occupationEdition: string;
  regionCode: string;
  level: SkillLevel;
  certifiedOn: string;
  /** Which recording of the number this is: from 2 on, for a number recorded again after a void (CertificateNumbers.claimAll). */
  recording?: number;
  /**
   * The evaluator importing it, which issued it: a number of the current format names it.
   * `certifyingHereSince`: the business day its first certification through the platform (any route but
   * `imported`, revoked ones included) was recorded, from which on it certifies here; absent while it has none.
   */
  evaluator: { evaluatorId: string; name: string; kind: EvaluatorKind; creditCode: string; regionCode: string; evaluatorCode: string; certifyingHereSince?: string };
  /** Who asks: staff of `evaluator`, through an import job they started (domain.md section 9). */
  by: Actor;
}

/** A certificate recorded in error (a wrong cell of an import, the wrong worker), voided by staff of its evaluator. */
export interface VoidCertificate {
  type: 'VoidCertificate';
  certificateNumber: string;
  /** Who asks: staff of the evaluator that issued the certificate (as a revocation: domain.md section 9). */
  by: Actor;
  reason: string;
  /** Whether the evaluator issued the worker another certificate still recorded, any occupation (read by the handler). */
  evaluatorHoldsOthers: boolean;
}

export type LadderCommand = Certify | RecordImportedCertificate | RevokeCertificate | VoidCertificate;

// ---- state ----------------------------------------------------------------------------------

export interface HeldCertificate {
  certificateNumber: string;
  level: SkillLevel;
  certifiedOn: string;
  /** How it came onto the ladder: a later record must not break the rule its route was judged by. */
  route: CertificateRoute;
  /** The evaluator that issued it: only its staff may revoke it. */
  evaluatorId: string;
  /** Which recording of its number, from 2 on (LevelCertified's). */
  recording?: number;
  /** Its place among the ladder's certifications, in the order recorded (Ladder.recorded when it was). */
  recordedAs: number;
  /** How many certifications the ladder had recorded when this one was revoked: those after it were judged without it. */
  revokedAfter?: number;
  /** Set once revoked: the certificate still counts for the dates before it (see `levelOf`). */
  revokedOn?: string;
}

export interface Ladder {
  /** Whose ladder in which occupation; set by the first certificate. */
  holder?: { traineeId: string; occupationCode: string };
  certificates: HeldCertificate[];
  /** How many certifications were ever recorded on it (voided ones included). */
  recorded?: number;
}

export const ladderStreamId = (traineeId: string, occupationCode: string) => `ladder-${traineeId}-${occupationCode}`;

/**
 * Whether `certificate` is valid on `asOf`: certified on or before it and not yet revoked then. A revocation
 * ends a certificate from its revokedOn on; the dates before it keep the level it gave. With no `asOf`
 * ("now"), a revoked certificate is never valid.
 */
function validOn(certificate: HeldCertificate, asOf?: string): boolean {
  if (asOf === undefined) return certificate.revokedOn === undefined;
  return certificate.certifiedOn <= asOf && (certificate.revokedOn === undefined || certificate.revokedOn > asOf);
}

/** The highest level held by a certificate valid on `asOf` (now, if not given). */
export function levelOf(ladder: Ladder, asOf?: string): SkillLevel | null {
  let best: SkillLevel | null = null;
  for (const certificate of ladder.certificates) {
    if (!validOn(certificate, asOf)) continue;
    if (!best || rankOf(certificate.level) > rankOf(best)) best = certificate.level;
  }
  return best;
}

export const ladderAggregate = {
  initialState: (): Ladder => ({ certificates: [] }),

  evolve(state: Ladder, event: LadderEvent): Ladder {
    switch (event.type) {
      case 'LevelCertified': {
        const { certificateNumber, level, certifiedOn, route, traineeId, occupationCode, evaluatorId, recording } = event.data;
        const recordedAs = (state.recorded ?? 0) + 1;
        const held: HeldCertificate = { certificateNumber, level, certifiedOn, route, evaluatorId, recordedAs, ...(recording ? { recording } : {}) };
        return { holder: { traineeId, occupationCode }, certificates: [...state.certificates, held], recorded: recordedAs };
      }
      case 'CertificateRevoked':
        return {
          ...state,
          certificates: state.certificates.map((certificate) =>
            certificate.certificateNumber === event.data.certificateNumber ? { ...certificate, revokedOn: event.data.revokedOn, revokedAfter: state.recorded ?? 0 } : certificate,
          ),
        };
      case 'CertificateVoided':
        return { ...state, certificates: state.certificates.filter((certificate) => certificate.certificateNumber !== event.data.certificateNumber) };
      default:
        return assertNever(event);
    }
  },

  /** The stream is sent `eitherWay` to certify or record (a ladder starts with its first certificate) and `mustExist` to revoke or void. */
  decide(command: LadderCommand, state: Ladder, now: Date): LadderEvent[] {
    switch (command.type) {
      case 'Certify':
        return [certify(command, state, now)];
      case 'RecordImportedCertificate':
        return [recordImported(command, state, now)];
      case 'RevokeCertificate':
        return [revoke(command, state, now)];
      case 'VoidCertificate':
        return [voidCertificate(command, state, now)];
      default:
        return assertNever(command);
    }
  },
};

/**
 * Only staff of the evaluator itself act for it (domain.md section 9: certify for the evaluator named,
 * revoke for the one that issued the certificate); nobody else, platform_admin included.
 */
export function refuseUnlessStaffOf(evaluatorId: string, by: Actor, permission: 'certificates:certify' | 'certificates:revoke'): void {
  if (by.organisationId !== evaluatorId) {
    throw new NotPermitted(permission, `only staff of evaluator ${evaluatorId} may ${permission === 'certificates:certify' ? 'certify for it' : 'revoke the certificates it issued'}`);
  }
}

/** Every rule of domain.md section 2, judged at the business date `certifiedOn` (which has happened: not after today). */
function certify(command: Certify, state: Ladder, now: Date): LevelCertified {
  refuseUnlessStaffOf(command.evaluator.evaluatorId, command.by, 'certificates:certify');
  refuseFutureDate('certifiedOn', command.certifiedOn, now);
  refuseBeforeBirth(command);
  // Judged on the certificates that stand now: one revoked since certifiedOn still gave that day its level
  // (the ladder's history, read as of a date), but a decision taken now must not rest on a certificate
  // known to be void (a backdated promotion from a fraudulent senior's level).
  const standing = withoutRevoked(state);
  const current = levelOf(standing, command.certifiedOn);
  const currentRank = current ? rankOf(current) : 0;
  const targetRank = rankOf(command.level);
  const refuse = (rule: string, detail: string, context: Record<string, unknown> = {}): never => {
    throw new DomainRefusal(rule, `${detail} (current level: ${current ?? 'none'}, requested: ${command.level}, route: ${command.route})`, {
      currentLevel: current,
      requestedLevel: command.level,
      route: command.route,
      ...context,
    });
  };
  if (targetRank <= currentRank) refuse('target_not_above_current_level', 'a certification must raise the level');
  // A backdated record goes under the certificates dated after it, and must leave each of them as its
  // route's rules allowed it (revoked ones no longer hold a level, and are left as they were judged).
  // Every route raises the level: a later certificate that raised it on its date must stay above this
  // one. (An imported one that stood at or below the level of its day raised nothing, and keeps no rule.)
  // Below it, this one can lift the level before it only to a rung still below it, so an assessment's
  // and an appointment's rung below stays what it was (a first junior's none may become apprentice:
  // still one rung), and an exceptional promotion climbs no more rungs than it did. Direct certification
  // alone asks for no level at all: one made while the worker had none must keep it so.
  // On the same ladder as `current`: a certificate revoked since neither lifts this one nor shields a later one.
  const later = laterCertificates(standing, command.certifiedOn);
  const notAbove = later.find(({ held, levelBefore }) => raisedTheLevel(held, levelBefore) && rankOf(held.level) <= targetRank);
  if (notAbove) {
    const { held } = notAbove;
    refuse('later_certificate_not_above', `certificate ${held.certificateNumber} (${held.level}, certified on ${held.certifiedOn}) would no longer be above this one`, {
      laterCertificateNumber: held.certificateNumber,
      laterLevel: held.level,
      laterCertifiedOn: held.certifiedOn,
    });
  }
  const unratedDirect = later.find(({ held, levelBefore }) => held.route === 'direct' && levelBefore === null);
  if (unratedDirect) {
    const { held } = unratedDirect;
    refuse('later_direct_requires_unrated', `certificate ${held.certificateNumber} (${held.level}, certified directly on ${held.certifiedOn}) was certified while the worker had no level in this occupation, which this one would give them before it`, {
      laterCertificateNumber: held.certificateNumber,
      laterLevel: held.level,
      laterCertifiedOn: held.certifiedOn,
    });
  }
  const { evaluator, evaluatorEmploysWorker } = command;
  const highestCertified = rankOf(HIGHEST_CERTIFIED_LEVEL);
  switch (command.route) {
    case 'assessment':
      if (targetRank > highestCertified) refuse('assessment_above_senior_technician', 'an assessment reaches senior_technician at most; the two grades above are appointed');
      if (currentRank === 0 && targetRank > 2) refuse('assessment_first_level_apprentice_or_junior', 'with no level yet in this occupation, an assessment certifies apprentice or junior');
      if (currentRank > 0 && targetRank !== currentRank + 1) refuse('assessment_one_rung_at_a_time', 'an assessment climbs exactly one rung');
      break;
    case 'direct':
      if (evaluator.kind !== 'employer') refuse('direct_requires_employer_evaluator', 'direct certification is made by an employer-kind evaluator');
      if (!evaluatorEmploysWorker) refuse('direct_requires_current_employer', `evaluator ${evaluator.creditCode} does not employ the worker on ${command.certifiedOn}`);
      if (currentRank > 0) refuse('direct_only_while_unrated', 'direct certification is allowed only while the worker has no level in this occupation');
      if (targetRank < rankOf('junior') || targetRank > highestCertified) refuse('direct_target_junior_to_senior_technician', 'direct certification targets junior up to senior_technician');
      if (!command.justification?.trim()) refuse('direct_requires_justification', 'direct certification needs a written justification');
      break;
    case 'exceptional':
      if (targetRank > highestCertified) refuse('exceptional_above_senior_technician', 'an exceptional promotion never goes above senior_technician');
      if (targetRank > currentRank + 2) refuse('exceptional_more_than_two_rungs', 'an exceptional promotion climbs at most two rungs');
      if (!command.reason) refuse('exceptional_requires_reason', `an exceptional promotion names one of ${EXCEPTIONAL_REASONS.join(', ')}`);
      if (!command.evidence?.trim()) refuse('exceptional_requires_evidence', 'an exceptional promotion needs an evidence reference');
      break;
    case 'appointment':
      if (targetRank < rankOf('special_technician')) refuse('appointment_only_special_or_chief_technician', 'appointment is only to special_technician or chief_technician');
      if (evaluator.kind !== 'employer') refuse('appointment_requires_employer_evaluator', 'an appointment is made by an employer-kind evaluator');
      if (!evaluatorEmploysWorker) refuse('appointment_requires_current_employer', `evaluator ${evaluator.creditCode} does not employ the worker on ${command.certifiedOn}`);
      if (currentRank !== targetRank - 1) refuse('appointment_requires_rung_below', `${command.level} requires the rung below it`);
      break;
    default:
      assertNever(command.route);
  }
  return {
    type: 'LevelCertified',
    data: {
      ...certificateOf(command, current),
      route: command.route,
      ...(command.route === 'exceptional' ? { reason: command.reason, evidence: command.evidence } : {}),
      ...(command.route === 'direct' ? { justification: command.justification } : {}),
      ...(command.basedOnFacts ? { basedOnFacts: command.basedOnFacts } : {}),
    },
  };
}

/** The ladder without its revoked certificates: what a decision taken now may stand on. */
function withoutRevoked(ladder: Ladder): Ladder {
  return { ...ladder, certificates: ladder.certificates.filter((held) => held.revokedOn === undefined) };
}

/**
 * The certificates of `ladder` (the one that stands: withoutRevoked) dated after `certifiedOn` (what a
 * record of that date goes under), each with the level held just before it: by the certificates valid on
 * its date, dated before it, or that day and recorded before it.
 */
function laterCertificates(ladder: Ladder, certifiedOn: string): Array<{ held: HeldCertificate; levelBefore: SkillLevel | null }> {
  return ladder.certificates.flatMap((held, index) => {
    if (held.certifiedOn <= certifiedOn) return [];
    const before = ladder.certificates.filter((other, n) => n !== index && (n < index || other.certifiedOn < held.certifiedOn));
    return [{ held, levelBefore: levelOf({ certificates: before }, held.certifiedOn) }];
  });
}

/**
 * Whether a certificate stands above the level held before it, as the ladder stands now (`levelBefore`):
 * one certified here did when it was judged, unless an import has gone under it since; an imported one may
 * have stood at or below it from the start. Either way, one that does not raise the level keeps no rule.
 */
function raisedTheLevel(held: HeldCertificate, levelBefore: SkillLevel | null): boolean {
  return levelBefore === null || rankOf(held.level) > rankOf(levelBefore);
}

/** What every certificate records, however it was issued: the number, the holder, the level and its issuer. */
function certificateOf(command: Certify | RecordImportedCertificate, previousLevel: SkillLevel | null) {
  const { evaluator } = command;
  return {
    certificateNumber: command.certificateNumber,
    traineeId: command.traineeId,
    occupationCode: command.occupationCode,
    regionCode: command.regionCode,
    level: command.level,
    previousLevel,
    evaluatorId: evaluator.evaluatorId,
    evaluatorName: evaluator.name,
    evaluatorKind: evaluator.kind,
    evaluatorCreditCode: evaluator.creditCode,
    evaluatorRegionCode: evaluator.regionCode,
    certifiedOn: command.certifiedOn,
  };
}

/** Nobody is certified before they were born (what trainee-service alone knows, told as an age on the day). */
function refuseBeforeBirth(command: Pick<Certify, 'certifiedOn' | 'holderAge'>): void {
  if (command.holderAge === 'not_yet_born') {
    throw new DomainRefusal('certified_before_birth', `certifiedOn ${command.certifiedOn} is before the holder was born`, { field: 'certifiedOn' });
  }
}

/**
 * A certificate as it was issued in an earlier year: the evaluator's own, dated when it has happened and
 * before the evaluator began certifying on the platform, its number checked (numberIsLegacy), given by an
 * evaluator that could give its level, and no route's progression rule judged again. It may stand below
 * the current level: it joins the history, and the level stays the highest valid certificate's. A date
 * before the holder's birth was refused by trainee-service when it read the file (it alone holds the
 * birth date, and an import never asks it row by row).
 */
function recordImported(command: RecordImportedCertificate, state: Ladder, now: Date): LevelCertified {
  const { evaluator } = command;
  refuseUnlessStaffOf(evaluator.evaluatorId, command.by, 'certificates:certify');
  refuseFutureDate('certifiedOn', command.certifiedOn, now);
  refuseIssuedSinceCertifyingHere(command);
  const legacy = numberIsLegacy(command);
  refuseAppointedByNonEmployer(command);
  return {
    type: 'LevelCertified',
    data: {
      ...certificateOf(command, levelOf(state, command.certifiedOn)),
      route: 'imported',
      ...(legacy ? { legacyNumber: true as const } : {}),
      occupationEdition: command.occupationEdition,
      ...(command.recording && command.recording > 1 ? { recording: command.recording } : {}),
    },
  };
}

/**
 * An import brings onto the platform what an evaluator issued before it certified here. From the day of
 * its first certification through the platform on, what it issues goes through the routes' rules, which
 * an import does not judge: a certificate dated since then, recorded as imported, would skip every one of
 * them (a senior_technician for a worker with no level). Its registration day is no cut-over: a bureau may
 * have registered it long before it went live, and what it issued in between has no other way here.
 */
function refuseIssuedSinceCertifyingHere(command: RecordImportedCertificate): void {
  const { certifiedOn, evaluator } = command;
  const since = evaluator.certifyingHereSince;
  if (since === undefined || certifiedOn < since) return;
  throw new FieldRefusal('certifiedOn', 'imported_after_certifying_here', `certifiedOn ${certifiedOn} is not before ${evaluator.name} began certifying on the platform on ${since}: what it issues since goes through POST /api/v1/certifications, not an import`, {
    certifiedOn,
    certifyingHereSince: since,
  });
}

/**
 * Who may give an appointed level does not depend on the ladder, nor on the route that records it: an
 * imported special_technician or chief_technician comes from an employer-kind evaluator, as an
 * appointment here does (domain.md section 2), refused under the rule's name over HTTP, so the import's
 * error file names it as the 409 does. Whether the evaluator then employed the worker, or the rung below
 * was held, depends on the facts and the ladder of that earlier day, which an import does not judge again.
 */
function refuseAppointedByNonEmployer(command: RecordImportedCertificate): void {
  const { evaluator, level } = command;
  if (!isAppointedLevel(level) || evaluator.kind === 'employer') return;
  throw new DomainRefusal('appointment_requires_employer_evaluator', `${level} is appointed by an employer-kind evaluator, not by ${evaluator.kind} ${evaluator.name}`, {
    field: 'level',
    requestedLevel: level,
    evaluatorKind: evaluator.kind,
  });
}

/**
 * Whether an imported certificate's number is of an earlier format (kept as given). One of the current
 * format says who issued it, in which year and at which national grade: an evaluator imports only the
 * certificates it issued itself, and the number must say this certificate's year and grade.
 */
function numberIsLegacy(command: RecordImportedCertificate): boolean {
  const { certificateNumber, evaluator } = command;
  const reading = readRecordedCertificateNumber(certificateNumber);
  if (!reading.ok) throw new FieldRefusal('certificateNumber', 'isCertificateNumber', `certificateNumber: ${reading.problem}`);
  if (reading.legacy) return true;
  const { facts } = reading;
  if (facts.evaluatorCode !== evaluator.evaluatorCode || facts.evaluatorKind !== evaluator.kind) {
    const own = `${evaluator.kind === 'employer' ? 'Y' : 'S'}${evaluator.evaluatorCode}`;
    throw new FieldRefusal('certificateNumber', 'certificate_of_another_evaluator', `certificate ${certificateNumber} names the evaluator ${certificateNumber.slice(0, 5)}, not ${own}: an evaluator imports only the certificates it issued`, {
      certificateNumber,
      evaluatorCode: evaluator.evaluatorCode,
    });
  }
  const year = command.certifiedOn.slice(2, 4);
  const grade = nationalGradeOf(command.level);
  if (facts.year !== year || facts.nationalGrade !== grade) {
    throw new FieldRefusal('certificateNumber', 'certificate_number_does_not_match', `certificate ${certificateNumber} names the year ${facts.year} and national grade ${facts.nationalGrade}, not ${year} (certifiedOn) and ${grade} (${command.level})`, {
      certificateNumber,
      numberYear: facts.year,
      numberGrade: facts.nationalGrade,
    });
  }
  return false;
}

/**
 * The ladder is found through the certificate number's index, written in the same transaction as the
 * certificate. A certificate no longer on it was voided after the index was read: there is none (404).
 */
function heldOn(state: Ladder, certificateNumber: string): { certificate: HeldCertificate; holder: NonNullable<Ladder['holder']> } {
  const certificate = state.certificates.find((held) => held.certificateNumber === certificateNumber);
  if (!certificate || !state.holder) throw new UnknownEntity('certificate', certificateNumber);
  return { certificate, holder: state.holder };
}

function revoke(command: RevokeCertificate, state: Ladder, now: Date): CertificateRevoked {
  const { certificate, holder } = heldOn(state, command.certificateNumber);
  refuseUnlessStaffOf(certificate.evaluatorId, command.by, 'certificates:revoke');
  const revokedOn = command.revokedOn ?? businessDateOf(now);
  refuseFutureDate('revokedOn', revokedOn, now);
  if (certificate.revokedOn !== undefined) throw new DomainRefusal('certificate_already_revoked', `certificate ${command.certificateNumber} is already revoked`, { certificateNumber: command.certificateNumber });
  if (revokedOn < certificate.certifiedOn) {
    throw new DomainRefusal('revoked_before_certification', `revokedOn ${revokedOn} is before the certification on ${certificate.certifiedOn}`, {
      revokedOn,
      certifiedOn: certificate.certifiedOn,
    });
  }
  const remaining = { certificates: state.certificates.filter((held) => held !== certificate) };
  return {
    type: 'CertificateRevoked',
    data: {
      certificateNumber: command.certificateNumber,
      traineeId: holder.traineeId,
      occupationCode: holder.occupationCode,
      revokedLevel: certificate.level,
      levelAfter: levelOf(remaining),
      reason: command.reason,
      revokedOn,
      ...(certificate.recording ? { recording: certificate.recording } : {}),
    },
  };
}

/**
 * A certificate recorded in error leaves the ladder as if never recorded, revoked or not. Not while a later
 * certificate of a route was judged on a ladder that held it (dated on or after it, and recorded after it
 * and before its revocation: a certification decided since was judged without it): that one is voided
 * first, or this one revoked instead. Imported ones were judged on nothing, and stand without it.
 */
function voidCertificate(command: VoidCertificate, state: Ladder, now: Date): CertificateVoided {
  const { certificate, holder } = heldOn(state, command.certificateNumber);
  refuseUnlessStaffOf(certificate.evaluatorId, command.by, 'certificates:revoke');
  const judgedOnIt = (held: HeldCertificate) => held.recordedAs > certificate.recordedAs && (certificate.revokedAfter === undefined || held.recordedAs <= certificate.revokedAfter);
  const later = state.certificates.find((held) => judgedOnIt(held) && held.route !== 'imported' && held.certifiedOn >= certificate.certifiedOn);
  if (later) {
    throw new DomainRefusal('later_certificate_stands_on_it', `certificate ${later.certificateNumber} (${later.level}, certified on ${later.certifiedOn}) was judged on a ladder that held ${command.certificateNumber}: void it first, or revoke ${command.certificateNumber} instead`, {
      certificateNumber: command.certificateNumber,
      laterCertificateNumber: later.certificateNumber,
      laterLevel: later.level,
      laterCertifiedOn: later.certifiedOn,
    });
  }
  const remaining = { certificates: state.certificates.filter((held) => held !== certificate) };
  return {
    type: 'CertificateVoided',
    data: {
      certificateNumber: command.certificateNumber,
      traineeId: holder.traineeId,
      occupationCode: holder.occupationCode,
      voidedLevel: certificate.level,
      levelAfter: levelOf(remaining),
      evaluatorId: certificate.evaluatorId,
      evaluatorHoldsOthers: command.evaluatorHoldsOthers,
      reason: command.reason,
      voidedOn: businessDateOf(now),
      ...(certificate.recording ? { recording: certificate.recording } : {}),
    },
  };
}
