import { formatJsonPath, type PathSegment } from './json-path.js';

/** One thing wrong with the catalogue: where (a JSON path) and what. */
export interface CatalogueProblem {
  path: string;
  message: string;
}

type Json = unknown;

/**
 * Checks the shape the site builder relies on: abra's fields it shows and
 * Galley's additions under `galley`. Unknown fields are allowed (the
 * catalogue grows; abra ignores what it does not know). Returns every
 * problem, in document order, at most `limit`.
 */
export function checkCatalogueShape(data: Json, limit = 20): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const report = (path: PathSegment[], message: string): void => {
    if (problems.length < limit) problems.push({ path: formatJsonPath(path), message });
  };
  if (!isObject(data)) {
    report([], `must be an object keyed by recipe name (got ${describe(data)})`);
    return problems;
  }
  for (const [name, recipe] of Object.entries(data)) {
    if (problems.length >= limit) break;
    checkRecipe(recipe, [name], name, report);
  }
  return problems;
}

type Report = (path: PathSegment[], message: string) => void;

function checkRecipe(recipe: Json, at: PathSegment[], key: string, report: Report): void {
  if (!isObject(recipe)) {
    report(at, `must be a recipe object (got ${describe(recipe)})`);
    return;
  }
  if (key.trim() === '') report(at, 'a recipe name must not be empty');
  for (const field of ['name', 'category', 'description', 'repository', 'website'] as const) {
    expectString(recipe[field], [...at, field], report);
  }
  for (const field of ['default_branch', 'icon', 'ssh_url'] as const) {
    if (recipe[field] !== undefined) expectString(recipe[field], [...at, field], report);
  }
  checkFeatures(recipe.features, [...at, 'features'], report);
  const versions = recipe.versions;
  if (!Array.isArray(versions)) report([...at, 'versions'], `must be a list of releases, oldest first (got ${describe(versions)})`);
  else
    versions.forEach((entry, i) => {
      checkVersionEntry(entry, [...at, 'versions', i], report);
    });
  if (recipe.galley !== undefined) checkGalley(recipe.galley, [...at, 'galley'], report);
}

function checkFeatures(features: Json, at: PathSegment[], report: Report): void {
  if (!isObject(features)) {
    report(at, `must be an object of README scores (got ${describe(features)})`);
    return;
  }
  for (const field of ['backups', 'email', 'healthcheck', 'tests', 'sso'] as const) {
    if (features[field] !== undefined) expectString(features[field], [...at, field], report);
  }
  const status = features.status;
  if (status !== undefined && !(typeof status === 'number' && Number.isFinite(status))) {
    report([...at, 'status'], `must be a number (got ${describe(status)})`);
  }
  const image = features.image;
  if (image !== undefined) {
    if (!isObject(image)) report([...at, 'image'], `must be an object { image, rating, source, url } (got ${describe(image)})`);
    else
      for (const field of ['image', 'rating', 'source', 'url'] as const) {
        if (image[field] !== undefined) expectString(image[field], [...at, 'image', field], report);
      }
  }
}

function checkVersionEntry(entry: Json, at: PathSegment[], report: Report): void {
  if (!isObject(entry)) {
    report(at, `must be an object { "<version>": { "<service>": { image, tag, digest } } } (got ${describe(entry)})`);
    return;
  }
  const keys = Object.keys(entry);
  if (keys.length !== 1) {
    report(at, `must have exactly one key, the version (got ${keys.length})`);
    return;
  }
  const version = keys[0]!;
  const services = entry[version];
  if (!isObject(services)) {
    report([...at, version], `must be an object of services (got ${describe(services)})`);
    return;
  }
  for (const [service, image] of Object.entries(services)) {
    const here = [...at, version, service];
    if (!isObject(image)) {
      report(here, `must be an object { image, tag, digest } (got ${describe(image)})`);
      continue;
    }
    for (const field of ['image', 'tag', 'digest'] as const) expectString(image[field], [...here, field], report);
  }
}

function checkGalley(galley: Json, at: PathSegment[], report: Report): void {
  if (!isObject(galley)) {
    report(at, `must be an object (got ${describe(galley)})`);
    return;
  }
  const versions = galley.versions;
  if (versions !== undefined) {
    if (!isObject(versions)) report([...at, 'versions'], `must be an object keyed by version (got ${describe(versions)})`);
    else
      for (const [version, info] of Object.entries(versions)) {
        const here = [...at, 'versions', version];
        if (!isObject(info)) {
          report(here, `must be an object { date, annotated, commit } (got ${describe(info)})`);
          continue;
        }
        expectString(info.date, [...here, 'date'], report);
        if (typeof info.date === 'string' && Number.isNaN(Date.parse(info.date))) report([...here, 'date'], `"${info.date}" is not an ISO 8601 date`);
        if (info.notes !== undefined) expectString(info.notes, [...here, 'notes'], report);
      }
  }
  const upgrades = galley.upgrades;
  if (upgrades !== undefined) {
    if (!isObject(upgrades)) report([...at, 'upgrades'], `must be an object keyed by service (got ${describe(upgrades)})`);
    else for (const [service, info] of Object.entries(upgrades)) checkUpgrades(info, [...at, 'upgrades', service], report);
  }
  const lint = galley.lint;
  if (lint !== undefined) {
    if (!isObject(lint)) report([...at, 'lint'], `must be an object { version, errors, warnings, infos, rules } (got ${describe(lint)})`);
    else {
      for (const field of ['errors', 'warnings', 'infos'] as const) expectCount(lint[field], [...at, 'lint', field], report);
      if (lint.rules !== undefined) {
        if (!isObject(lint.rules)) report([...at, 'lint', 'rules'], `must be an object of counts by rule id (got ${describe(lint.rules)})`);
        else for (const [rule, count] of Object.entries(lint.rules)) expectCount(count, [...at, 'lint', 'rules', rule], report);
      }
    }
  }
  const stale = galley.stale;
  if (stale !== undefined) {
    if (!isObject(stale)) report([...at, 'stale'], `must be an object { error, since } (got ${describe(stale)})`);
    else {
      expectString(stale.error, [...at, 'stale', 'error'], report);
      expectString(stale.since, [...at, 'stale', 'since'], report);
    }
  }
}

function checkUpgrades(info: Json, at: PathSegment[], report: Report): void {
  if (!isObject(info)) {
    report(at, `must be an object { image, current, patch?, minor?, major?, unparseable } (got ${describe(info)})`);
    return;
  }
  expectString(info.image, [...at, 'image'], report);
  expectString(info.current, [...at, 'current'], report);
  for (const kind of ['patch', 'minor', 'major'] as const) {
    const candidate = info[kind];
    if (candidate === undefined) continue;
    if (!isObject(candidate)) report([...at, kind], `must be an object { tag, digest } (got ${describe(candidate)})`);
    else {
      expectString(candidate.tag, [...at, kind, 'tag'], report);
      if (candidate.digest !== undefined) expectString(candidate.digest, [...at, kind, 'digest'], report);
    }
  }
  if (info.unparseable !== undefined) {
    if (!Array.isArray(info.unparseable)) report([...at, 'unparseable'], `must be a list of { tag, reason } (got ${describe(info.unparseable)})`);
    else
      info.unparseable.forEach((item: Json, i: number) => {
        if (!isObject(item)) report([...at, 'unparseable', i], `must be an object { tag, reason } (got ${describe(item)})`);
        else {
          expectString(item.tag, [...at, 'unparseable', i, 'tag'], report);
          expectString(item.reason, [...at, 'unparseable', i, 'reason'], report);
        }
      });
  }
  if (info.daysBehind !== undefined) expectCount(info.daysBehind, [...at, 'daysBehind'], report);
  for (const field of ['currentUnparseable', 'error'] as const) {
    if (info[field] !== undefined) expectString(info[field], [...at, field], report);
  }
}

function expectString(value: Json, at: PathSegment[], report: Report): void {
  if (typeof value !== 'string') report(at, value === undefined ? 'is missing (a string is required)' : `must be a string (got ${describe(value)})`);
}

function expectCount(value: Json, at: PathSegment[], report: Report): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) report(at, `must be a whole number ≥ 0 (got ${describe(value)})`);
}

export function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return `${typeof value} ${String(value)}`;
}
