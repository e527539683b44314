import type { components } from '../../api/schema';

export type ImportJob = components['schemas']['ImportJobDto'];
export type ImportKind = ImportJob['kind'];

/** The upload page of a kind; a course's page links to its own with `?courseId=`. */
export const uploadPath = (kind: ImportKind, courseId?: string) => `/imports/new/${kind}${courseId ? `?courseId=${courseId}` : ''}`;

/** The public template of a kind (no token needed, so a plain link downloads it). */
export const templateUrl = (kind: ImportKind) => `/api/v1/imports/templates/${kind}`;
