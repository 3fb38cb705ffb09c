import type { Rule } from '@galley/linter';
import recipeAppService from './recipe/app-service.js';
import composeSchema from './compose/schema.js';
import composeYamlSyntax from './compose/yaml-syntax.js';

/** Every rule galley ships, in id order. */
export const allRules: Rule[] = [recipeAppService, composeSchema, composeYamlSyntax].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
