/** Test and benchmark helpers: catalogues written by hand and made up, for tests, size budgets and speed. */

export { FIXTURE_SIDECAR, fixtureCatalogue, fixtureMedia, fixtureReadmes, writeFixtureCatalogue } from './fixture-catalogue.js';
export { type SyntheticCatalogue, syntheticCatalogue, writeSyntheticCatalogue } from './synthetic-catalogue.js';
export { xssPayloads } from './xss-payloads.js';
