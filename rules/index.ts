import type { Rule } from '@galley/linter';
import recipeAppService from './recipe/app-service.js';

/** Every rule galley ships, in id order. */
export const allRules: Rule[] = [recipeAppService].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
