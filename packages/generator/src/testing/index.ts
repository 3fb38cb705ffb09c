/** Test and benchmark helpers: catalogues made up for size budgets and speed. */
export { syntheticCatalogue, writeSyntheticCatalogue, type SyntheticCatalogue } from './synthetic-catalogue.js';
