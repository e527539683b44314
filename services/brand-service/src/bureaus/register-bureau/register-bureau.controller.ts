import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterBureauDto } from './register-bureau.dto';
import { RegisterBureauHandler } from './register-bureau.handler';

@ApiTags('brands')
@Controller('api/v1/bureaus')
export class RegisterBureauController {
  constructor(private readonly handler: RegisterBureauHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register a human resources bureau', description: 'Registers a bureau (e.g. 株洲市人力资源和社会保障局) of a province, city or district; organisations of its region come under it.' })
  @Permission('bureaus:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiConflictResponse({ description: 'bureau_region_registered: a bureau of this region exists, one per region (existingId)' })
  register(@Body() body: RegisterBureauDto): Promise<{ id: string }> {
    return this.handler.execute(body);
  }
}
