import { FreshnessDoc } from '@skills/service-runtime';
// What trainee-service's routes answer, for the OpenAPI document (TraineeAnswer says the same in code).
import { ApiProperty } from '@nestjs/swagger';

export class TraineeAnswerDoc {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: String, nullable: true, example: '王建国', description: 'null once the personal data is erased (so are the fields below)' })
  name: string | null;
  @ApiProperty({ type: String, nullable: true, example: '430202********0012' })
  idNumberMasked: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '1990-05-17' })
  birthDate: string | null;
  @ApiProperty({ enum: ['male', 'female'], nullable: true })
  gender: string | null;
  @ApiProperty({ type: String, nullable: true, example: '13800138000' })
  phone: string | null;
  @ApiProperty({ type: String, nullable: true, example: '430202' })
  regionCode: string | null;
  @ApiProperty({ type: [String], example: ['rural_migrant'] })
  categories: string[];
  @ApiProperty({ format: 'date', example: '2021-03-01' })
  registeredOn: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The organisation that registered the trainee: its staff and platform_admin correct and void the registration, the trainee corrects their own. null for registrations recorded before it was kept, which only platform_admin (and the trainee) change',
  })
  registeredBy: string | null;
  @ApiProperty()
  personalDataErased: boolean;
}

export class LookupAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: '王**' })
  nameMasked: string;
}

export class ArchiveEntry {
  @ApiProperty({ format: 'date', example: '2021-04-01' })
  at: string;
  @ApiProperty({ enum: ['enrolled', 'withdrew', 'assessed', 'certified', 'certificate_revoked', 'hired', 'employment_ended'] })
  kind: string;
  @ApiProperty({ example: 'training', description: 'The service that recorded the fact; the fact’s own fields follow' })
  context: string;
}

export class ArchiveAnswer {
  @ApiProperty({ type: FreshnessDoc, description: 'How complete the figures are: `?consistent=true` waits until they hold every fact accepted before the request' })
  freshness: FreshnessDoc;
  @ApiProperty({ type: TraineeAnswerDoc })
  trainee: TraineeAnswerDoc;
  @ApiProperty({ type: [ArchiveEntry], description: 'Each entry also carries the fields of its fact' })
  entries: ArchiveEntry[];
}

/** One trainee of a search (GET /api/v1/trainees): who the caller may see in full, number masked. */
export class TraineeSearchItem {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: '王建国' })
  name: string;
  @ApiProperty({ example: '430202********0012' })
  idNumberMasked: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '1990-05-17' })
  birthDate: string | null;
  @ApiProperty({ enum: ['male', 'female'], nullable: true })
  gender: string | null;
  @ApiProperty({ type: String, nullable: true, example: '430202' })
  regionCode: string | null;
  @ApiProperty({ format: 'date', example: '2021-03-01' })
  registeredOn: string;
}

export class TraineesPage {
  @ApiProperty({ type: [TraineeSearchItem], description: 'Newest registration first' })
  items: TraineeSearchItem[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
