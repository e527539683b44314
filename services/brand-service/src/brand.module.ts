import { Module } from '@nestjs/common';
import { organisationReplicaFor, ServiceRuntimeModule } from '@skills/service-runtime';
import { brandMigrations } from './brand.migrations';
import { BrandReaders } from './brands/brand-reader';
import { CertifyBrandController } from './brands/certify-brand/certify-brand.controller';
import { CertifyBrandHandler } from './brands/certify-brand/certify-brand.handler';
import { CorrectBrandController } from './brands/correct-brand/correct-brand.controller';
import { CorrectBrandHandler } from './brands/correct-brand/correct-brand.handler';
import { GetBrandController } from './brands/get-brand/get-brand.controller';
import { brandDirectory } from './brands/list-brands/brand-directory.projection';
import { ListBrandsController } from './brands/list-brands/list-brands.controller';
import { RegisterBrandController } from './brands/register-brand/register-brand.controller';
import { RegisterBrandHandler } from './brands/register-brand/register-brand.handler';
import { RevokeBrandCertificationController } from './brands/revoke-brand-certification/revoke-brand-certification.controller';
import { RevokeBrandCertificationHandler } from './brands/revoke-brand-certification/revoke-brand-certification.handler';
import { RegisterBureauController } from './bureaus/register-bureau/register-bureau.controller';
import { RegisterBureauHandler } from './bureaus/register-bureau/register-bureau.handler';
import { FactConsumers } from './facts/fact.consumers';
import { BrandFigures } from './qualification/brand-figures';
import { FiguresUpgrade } from './qualification/figures-upgrade';
import { GetQualificationController } from './qualification/get-qualification/get-qualification.controller';
import { GetQualificationSeriesController } from './qualification/qualification-series/get-qualification-series.controller';
import { QualificationSeries } from './qualification/qualification-series/qualification-series';
import { Qualifications } from './qualification/qualification.service';
import { RebuildFiguresController } from './qualification/rebuild-figures.controller';
import { StatisticsFactsConsumer } from './statistics/facts/statistics-facts.consumer';
import { ProviderOutcomesController } from './statistics/http/provider-outcomes.controller';
import { RegionStatisticsController } from './statistics/http/region-statistics.controller';
import { providerOutcomes } from './statistics/read-models/provider-outcomes.projection';
import { regionStatistics } from './statistics/read-models/region-statistics.projection';
import { StatisticsReader } from './statistics/read-models/statistics-reader';

const organisations = organisationReplicaFor('brand');

/** Bureaus, labour brands, their qualification as of any date, certification by tier, and the statistics bureaus report. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'brand', migrations: brandMigrations, projections: [brandDirectory, regionStatistics, providerOutcomes] })],
  controllers: [
    RegisterBureauController,
    RegisterBrandController,
    ListBrandsController,
    GetBrandController,
    GetQualificationController,
    GetQualificationSeriesController,
    CertifyBrandController,
    RevokeBrandCertificationController,
    CorrectBrandController,
    RebuildFiguresController,
    FactConsumers,
    StatisticsFactsConsumer,
    RegionStatisticsController,
    ProviderOutcomesController,
    ...organisations.controllers,
  ],
  providers: [...organisations.providers, StatisticsReader, BrandFigures, FiguresUpgrade, Qualifications, QualificationSeries, BrandReaders, RegisterBureauHandler, RegisterBrandHandler, CertifyBrandHandler, RevokeBrandCertificationHandler, CorrectBrandHandler],
})
export class BrandModule {}
