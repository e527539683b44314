import { LevelCertified } from '../../ladder/ladder.aggregate';
import { credentialOf, occupationLabelsOf } from './credential-document';

const ORIGIN = 'http://localhost:3000';
const WELDER = '6-18-02-04';
/** A code the occupations table has no name for (yet). */
const UNNAMED = '4-10-01-01';

const certificateOf = (occupationCode: string) =>
  ({
    certificateNumber: 'S430200001250000001',
    occupationCode,
    level: 'junior',
    evaluatorId: '0d5c3a52-7f0e-4c1b-9a53-2b6f0e8d4c11',
    evaluatorName: '湖南省焊接协会',
    certifiedOn: '2021-06-01',
  }) as LevelCertified['data'];
const ALLOCATION = { subjectId: '7b0e3c52-1f0e-4c1b-9a53-2b6f0e8d4c22', listNumber: 0, listIndex: 3 };

/** Every leaf of a document, by its path: what two credentials differ in. */
const leaves = (value: unknown, path = ''): Array<[string, unknown]> =>
  value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([key, each]) => leaves(each, `${path}${path ? '.' : ''}${key}`)) : [[path, value]];
const differing = (a: unknown, b: unknown) => {
  const right = new Map(leaves(b));
  return leaves(a)
    .filter(([path, value]) => right.get(path) !== value)
    .map(([path]) => path);
};

describe('the words a credential may show its occupation by: what a rebuild may change, and nothing else', () => {
  it('are the name the table gives, then the code; a code it does not name only by the code', () => {
    expect(occupationLabelsOf(WELDER)).toEqual(['焊工', WELDER]);
    expect(occupationLabelsOf(UNNAMED)).toEqual([UNNAMED]);
  });

  it('change only the labels that show the occupation: the holder, number, occupation code, level, dates, issuer and status entry stay', () => {
    const named = credentialOf(ORIGIN, certificateOf(WELDER), ALLOCATION);
    const byCode = credentialOf(ORIGIN, certificateOf(WELDER), ALLOCATION, WELDER);
    expect(named).toMatchObject({ name: '职业技能等级证书：焊工（初级工）', credentialSubject: { achievement: { fieldOfStudy: '焊工' } } });
    expect(byCode).toMatchObject({ name: `职业技能等级证书：${WELDER}（初级工）`, credentialSubject: { achievement: { fieldOfStudy: WELDER } } });
    expect(differing(named, byCode)).toEqual(['name', 'credentialSubject.achievement.name', 'credentialSubject.achievement.description', 'credentialSubject.achievement.fieldOfStudy']);
    // The level is in the labels too, by the record's level: another level is another credential.
    expect(differing(named, credentialOf(ORIGIN, { ...certificateOf(WELDER), level: 'senior_technician' }, ALLOCATION))).toEqual(
      expect.arrayContaining(['name', 'credentialSubject.achievement.id', 'credentialSubject.achievement.name', 'credentialSubject.achievement.description']),
    );
  });
});
