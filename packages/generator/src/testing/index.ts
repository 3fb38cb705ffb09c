/** Test and benchmark helpers: catalogues written by hand and made up, for tests, size budgets and speed. */
export { syntheticCatalogue, writeSyntheticCatalogue, type SyntheticCatalogue } from './synthetic-catalogue.js';
export { fixtureCatalogue, fixtureReadmes, writeFixtureCatalogue } from './fixture-catalogue.js';
export { xssPayloads } from './xss-payloads.js';
