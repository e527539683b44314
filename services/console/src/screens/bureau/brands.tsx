import { Link } from 'react-router';
import { api } from '../../api/client';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { BRAND_REGISTER_PATH } from './brand-register';

/**
 * The labour brands (劳务品牌) the user may read, each with the tiers it holds: a bureau's those of its
 * region, a school's or employer's those its organisation is a building unit (建设单位) of (the API lists each
 * its own), a platform admin's all.
 */
export function BrandsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const asBuildingUnit = me?.role === 'school_staff' || me?.role === 'employer_staff';
  const title = asBuildingUnit ? t('brands.unitTitle') : t('brands.title');
  // Consistent: a certification or revocation just made on a brand's page shows here on going back.
  const list = useCursorList('brands', (cursor) => api.GET('/api/v1/brands', { params: { query: { limit: 20, cursor, consistent: 'true' } } }));
  return (
    <section>
      <h1>{title}</h1>
      {asBuildingUnit && <p>{t('brands.unitIntro')}</p>}
      {me?.role === 'bureau_officer' && (
        <p>
          <Link className="button-link" to={BRAND_REGISTER_PATH}>
            {t('brandRegister.nav')}
          </Link>
        </p>
      )}
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('brand.name')}</th>
            <th scope="col">{t('brand.region')}</th>
            <th scope="col">{t('brand.tier')}</th>
            <th scope="col">{t('brand.certified')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((brand) => {
            const standing = brand.certifications.filter((certification) => certification.status === 'standing');
            return (
              <tr key={brand.id}>
                <td>
                  <Link to={`/bureau/brands/${brand.id}`}>{brand.name}</Link>
                </td>
                <td>{brand.regionCode}</td>
                <td>{t(`tier.${brand.tier}`)}</td>
                <td>{standing.length ? standing.map((certification) => `${t(`tier.${certification.tier}`)} ${certification.decidedOn}`).join(', ') : t('brand.notCertified')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}
