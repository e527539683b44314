import type { Type } from '@nestjs/common';
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { IdentityModule } from '@skills/identity-service';
import { PlacementModule } from '@skills/placement-service';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';

/** Every service module, identity included, as the all-in-one host runs them in one process. */
export const PLATFORM_MODULES: Type[] = [IdentityModule, TraineeModule, TrainingModule, CertificationModule, PlacementModule, BrandModule];
