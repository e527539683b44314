import { Controller, Get } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { ApiWaitsForFacts, CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { BrandReaders } from '../brand-reader';
import { BrandCertified, BrandEvent, BrandRegistered, brandStreamId, refuseBrandReader } from '../brand.aggregate';
import { BrandAnswer } from '../../brand-answers';

interface BrandView {
  brand?: BrandRegistered['data'];
  certifications: Array<BrandCertified['data'] & { status: 'standing' | 'revoked'; revokedOn?: string; revocationReason?: string }>;
}

/** The brand with every certification decision, standing or revoked, as its stream records them. */
const brandView = {
  initialState: (): BrandView => ({ certifications: [] }),
  evolve(view: BrandView, event: BrandEvent): BrandView {
    switch (event.type) {
      case 'BrandRegistered':
        return { ...view, brand: event.data };
      case 'BrandCertified':
        return { ...view, certifications: [...view.certifications, { ...event.data, status: 'standing' }] };
      case 'BrandCertificationRevoked':
        return {
          ...view,
          certifications: view.certifications.map((certification) =>
            certification.tier === event.data.tier && certification.status === 'standing'
              ? { ...certification, status: 'revoked', revokedOn: event.data.revokedOn, revocationReason: event.data.reason }
              : certification,
          ),
        };
      case 'BrandCorrected':
        return view.brand ? { ...view, brand: { ...view.brand, ...event.data.after } } : view;
    }
  },
};

@ApiTags('brands')
@Controller('api/v1/brands')
export class GetBrandController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly readers: BrandReaders,
  ) {}

  @Get(':id')
  @ApiWaitsForFacts("For a building unit's staff whose organisation is not known here yet: the organisations registered on the other services")
  @ApiOperation({ summary: 'Read a labour brand', description: 'The brand with its policy and every certification decision, standing or revoked, with the figures it was based on.' })
  @Permission('brands:read')
  @ApiOkResponse({ type: BrandAnswer, description: 'The brand with its policy and its certifications (figures they were based on, standing or revoked)' })
  @ApiForbiddenResponse({ description: "brands:read: a bureau officer outside the brand's region, or staff of none of its building units" })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  async get(@UuidParam('id') brandId: string, @CurrentCaller() caller: Caller) {
    const { state } = await this.commands.load(mustExist(brandStreamId(brandId), 'brand', brandId), brandView);
    if (!state.brand) throw new UnknownEntity('brand', brandId);
    refuseBrandReader(state.brand, await this.readers.of(caller), 'brands:read');
    const { brandId: id, ...brand } = state.brand;
    return {
      id,
      ...brand,
      certifications: state.certifications.map(({ brandId: _brand, ...certification }) => certification),
    };
  }
}
