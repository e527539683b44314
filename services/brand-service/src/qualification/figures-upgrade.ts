import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { BrandFigures, FIGURES_RULE } from './brand-figures';

export { FIGURES_RULE };

/**
 * A brand not counted yet is looked at again 1 s later, doubling to at most every 30 s: for as long as its
 * backfill goes on elsewhere, and through up to RESUME_FAILURES failed rebuilds, then left to the next start.
 */
const RESUME_FAILURES = 6;
const RESUME_FIRST_PAUSE_MS = 1000;
const RESUME_LONGEST_PAUSE_MS = 30_000;

/**
 * Every brand whose figures are not counted by FIGURES_RULE (`brand_scopes.figures_rule`) is rebuilt from the
 * facts at start: those counted by an earlier rule, once, at the first start after the rule changed, not only
 * for the trainees a new fact happens to touch; and those whose backfill after their registration was cut
 * short (a crash, a restart), which it completes. `brand_figures_rule` records the rule the start counted by
 * (a brand whose backfill goes on elsewhere is counted by it when that backfill ends, or by `resume`).
 *
 * It runs beside the service, not before it (as SearchIndexBackfill does): rebuilding many large brands
 * must not hold up readiness, nor let a liveness probe kill the start over and over. Until a brand is
 * rebuilt its certification is refused (503 facts_not_caught_up) and its reads do not say they are
 * complete. A rolling deploy's older replicas may count a fact by the old rule meanwhile; stop them
 * before the new ones start for such an upgrade.
 */
@Injectable()
export class FiguresUpgrade implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('brand-figures');
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly figures: BrandFigures,
  ) {}

  onApplicationBootstrap(): void {
    this.upgrade().catch((error: unknown) => this.logger.warn(`counting the brands' figures again stopped, the next start does it: ${messageOf(error)}`));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /**
   * Every brand's figures rebuilt from the facts when they are not counted by FIGURES_RULE, but one whose
   * backfill goes on elsewhere (another replica's registration): that one is left to finish, and looked at
   * again later (`resume`). Two replicas starting at once may both rebuild: a rebuild is the same whoever
   * does it, and each holds the scopes' lock (a backfill's batch runs between two, and counts the same).
   * Answers how many were rebuilt.
   */
  async upgrade(): Promise<number> {
    const brands = (
      await this.database.query<{ brand_id: string }>('SELECT brand_id FROM brand_scopes WHERE figures_rule IS DISTINCT FROM $1 ORDER BY brand_id', [FIGURES_RULE])
    ).rows;
    let rebuilt = 0;
    for (const { brand_id } of brands) {
      if (this.stopped) throw new Error('the service is stopping');
      if (await this.figures.backfillGoesOn(brand_id)) {
        this.resume(brand_id);
        continue;
      }
      await this.figures.rebuild(brand_id);
      rebuilt++;
    }
    await this.database.query(
      'INSERT INTO brand_figures_rule (rule) VALUES ($1) ON CONFLICT (single) DO UPDATE SET rule = greatest(brand_figures_rule.rule, excluded.rule)',
      [FIGURES_RULE],
    );
    if (rebuilt > 0) this.logger.log(`${rebuilt} brands' figures counted again by rule ${FIGURES_RULE}`);
    return rebuilt;
  }

  /**
   * A brand whose figures are not counted yet, in the background: done once they are counted (a backfill
   * going on elsewhere finished), else rebuilt once no backfill goes on (one that failed here, one whose
   * process went away, however long it went on first). A rebuild that fails is tried again, further apart,
   * up to RESUME_FAILURES times, then left to the next start. Until then its certification is refused (503)
   * as for any brand whose figures are not counted.
   */
  resume(brandId: string): void {
    void (async () => {
      for (let look = 0, failures = 0; !this.stopped; look++) {
        try {
          if (await this.figures.counted(brandId)) return;
          if (!(await this.figures.backfillGoesOn(brandId))) {
            await this.figures.rebuild(brandId);
            this.logger.log(`brand ${brandId}'s figures counted after its backfill stopped`);
            return;
          }
        } catch (error) {
          if (++failures >= RESUME_FAILURES) throw error;
        }
        const pause = Math.min(RESUME_FIRST_PAUSE_MS * 2 ** Math.min(look, 16), RESUME_LONGEST_PAUSE_MS);
        await new Promise((resolve) => setTimeout(resolve, pause).unref());
      }
    })().catch((error: unknown) => this.logger.warn(`counting brand ${brandId}'s figures stopped, the next start does it: ${messageOf(error)}`));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
