import type { ReadmeMetadata, Score } from '@galley/recipe';
import type { Features } from './types.js';

/**
 * abra's `features` from a README metadata block: scores as written
 * (`3`, `Yes`, `❶💚`, …), the status as a number (0 when missing or not a
 * number), the image's name, rating, source and link.
 */
export function featuresFromMetadata(metadata: ReadmeMetadata | undefined): Features {
  const raw = (score: Score | undefined): string => score?.raw.trim() ?? '';
  const status = metadata?.status?.value;
  const image = metadata?.image;
  return {
    backups: raw(metadata?.backups),
    email: raw(metadata?.email),
    healthcheck: raw(metadata?.healthcheck),
    tests: raw(metadata?.tests),
    sso: raw(metadata?.sso),
    status: typeof status === 'number' ? status : 0,
    image: {
      image: image?.image ?? '',
      rating: image?.rating !== undefined ? String(image.rating) : '',
      source: image?.source ?? '',
      url: image?.url ?? '',
    },
  };
}
