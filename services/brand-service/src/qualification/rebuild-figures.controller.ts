import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Permission, UuidParam } from '@skills/service-runtime';
import { brandAggregate, brandStreamId } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';
import { RebuiltFiguresAnswer } from '../brand-answers';

@ApiTags('admin')
@Controller('admin/brands/:id/figures/rebuild')
export class RebuildFiguresController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly figures: BrandFigures,
  ) {}

  /** Operators recompute a brand's figures from the recorded facts; the old ones answer until the swap. */
  @Post()
  @ApiOperation({ summary: 'Rebuild a brand\'s figures', description: 'Recomputes the brand\'s figures from the recorded facts; the old ones answer until the swap.' })
  @Permission('admin:operate')
  @HttpCode(200)
  @ApiOkResponse({ type: RebuiltFiguresAnswer, description: '{brandId, rebuilt: true}' })
  async rebuild(@UuidParam('id') brandId: string) {
    await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    await this.figures.rebuild(brandId);
    return { brandId, rebuilt: true };
  }
}
