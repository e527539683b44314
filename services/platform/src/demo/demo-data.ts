// The demo data set: Zhuzhou's first five city labour brands (2021, seed 001) with their schools,
// employers and a few hundred trainees, built only through the public HTTP commands. 株洲新希望铆焊工
// qualifies under the Zhuzhou 2021 policy as of 2021-09-30; the other four do not yet (too few trained,
// and no ethics-and-law training), so a newcomer sees both at once. Every command carries an
// Idempotency-Key made from stable names, so loading twice creates nothing new. The demo's users (one per
// organisation, and one trainee) have fixed passwords: demo only.
import { creditCheckCharacter, identityCheckCharacter } from '@skills/domain-kernel';

export const ZHUZHOU_2021_POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 400, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: true };

export interface DemoBrand {
  name: string;
  industryCode: string;
  occupationCode: string;
  school: string;
  employer: string;
  courseTitle: string;
  trainees: number;
  passing: number;
  hired: number;
  ethicsCourse: boolean;
}

/** The five brands of seed 001, with figures chosen so that only 新希望 meets the policy as of 2021-09-30. */
export const DEMO_BRANDS: DemoBrand[] = [
  { name: '株洲新希望铆焊工', industryCode: 'C37', occupationCode: '6-18-02-04', school: '株洲新希望焊接培训学校', employer: '株洲九方装备股份有限公司', courseTitle: '铆焊工（中级）', trainees: 440, passing: 396, hired: 330, ethicsCourse: true },
  { name: '醴陵陶瓷工匠', industryCode: 'C30', occupationCode: '6-16-02-01', school: '醴陵市陶瓷职业技术学校', employer: '醴陵华联瓷业有限公司', courseTitle: '陶瓷成型工', trainees: 60, passing: 54, hired: 45, ethicsCourse: true },
  { name: '株洲轨道交通装备制造工', industryCode: 'C37', occupationCode: '6-23-03-01', school: '湖南铁道职业技术学院', employer: '中车株洲电力机车有限公司', courseTitle: '轨道交通车辆装调工', trainees: 50, passing: 45, hired: 40, ethicsCourse: false },
  { name: '芦淞服饰人', industryCode: 'C18', occupationCode: '6-05-01-01', school: '芦淞区服饰职业培训学校', employer: '株洲芦淞服饰产业园有限公司', courseTitle: '服装制作工', trainees: 40, passing: 36, hired: 28, ethicsCourse: false },
  { name: '洞口家政工', industryCode: 'O80', occupationCode: '4-10-01-01', school: '洞口县家政服务培训中心', employer: '株洲好帮手家政服务有限公司', courseTitle: '家政服务员', trainees: 40, passing: 38, hired: 30, ethicsCourse: false },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '红梅', '国庆', '小龙'];

/** A name, a valid identity number (born 1980–1999, registered in Zhuzhou) and a phone, the same for the same n. */
export function demoPerson(n: number) {
  const name = SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length];
  const birth = new Date(Date.UTC(1980, 0, 1) + ((n * 37) % 7300) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430202${birth}${String(100 + (n % 800)).padStart(3, '0')}`;
  return { name, idNumber: first17 + identityCheckCharacter(first17), phone: `139${String(10_000_000 + n).slice(-8)}` };
}

/** A valid credit code for the n-th demo organisation. */
export function demoCreditCode(n: number): string {
  const first17 = `91430200DM${String(n).padStart(7, '0')}`;
  return first17 + creditCheckCharacter(first17);
}

/**
 * The password of a demo user: fixed, so that the demo's people can be signed in as after any load, and
 * therefore for the demo only (it is right here in the source).
 */
export function demoUserPassword(username: string): string {
  return `demo-only-2021-${username.replace(/^demo\./, '')}`;
}
