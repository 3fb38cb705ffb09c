import type { GitTag } from '@galley/platform/git';
import type { Recipe } from '@galley/recipe';
import type { Licence, Maintainer } from './types.js';

/**
 * What a hoster wants to know about a recipe that abra's catalogue lacks,
 * read from the recipe at its default branch: the licence (LICENSE/COPYING,
 * else the README metadata), the maintainers (README metadata, CODEOWNERS,
 * release taggers), whether it is deprecated, a demo link, and the images
 * its README shows (mirrored later by media.ts). Pure: reads the recipe only.
 */
export interface RecipeExtras {
  licence?: Licence;
  maintainers: Maintainer[];
  deprecated?: { reason: string; from: 'metadata' | 'readme' };
  demo?: string;
  /** README images in the order shown: `src` as written, `alt` text. */
  images: { src: string; alt: string }[];
  /** An `icon` or `logo` image at the repository's root, if any. */
  iconFile?: string;
}

/** At most this many README images are kept per recipe. */
export const MAX_README_IMAGES = 12;

const LICENCE_FILE = /^(?:licen[cs]e|copying)(?:\.(?:md|txt|rst))?$/i;
const CODEOWNERS = ['CODEOWNERS', '.gitea/CODEOWNERS', '.github/CODEOWNERS', '.forgejo/CODEOWNERS', 'docs/CODEOWNERS'];
const ICON_FILE = /^(?:icon|logo)\.(?:svg|png)$/i;

/** First lines of common licences → SPDX id and name (order matters: AGPL/LGPL before GPL). */
const LICENCES: { test: RegExp; spdx: string; name: string }[] = [
  { test: /GNU AFFERO GENERAL PUBLIC LICEN[CS]E\s+Version 3/i, spdx: 'AGPL-3.0', name: 'GNU Affero General Public License v3' },
  { test: /GNU LESSER GENERAL PUBLIC LICEN[CS]E\s+Version 3/i, spdx: 'LGPL-3.0', name: 'GNU Lesser General Public License v3' },
  { test: /GNU LESSER GENERAL PUBLIC LICEN[CS]E\s+Version 2\.1/i, spdx: 'LGPL-2.1', name: 'GNU Lesser General Public License v2.1' },
  { test: /GNU GENERAL PUBLIC LICEN[CS]E\s+Version 3/i, spdx: 'GPL-3.0', name: 'GNU General Public License v3' },
  { test: /GNU GENERAL PUBLIC LICEN[CS]E\s+Version 2/i, spdx: 'GPL-2.0', name: 'GNU General Public License v2' },
  { test: /Mozilla Public License,?\s+(?:version|v\.?)\s*2\.0/i, spdx: 'MPL-2.0', name: 'Mozilla Public License 2.0' },
  { test: /Apache License,?\s+Version 2\.0/i, spdx: 'Apache-2.0', name: 'Apache License 2.0' },
  { test: /^\s*(?:The )?MIT License|Permission is hereby granted, free of charge, to any person obtaining a copy/im, spdx: 'MIT', name: 'MIT License' },
  { test: /Redistribution and use in source and binary forms.*?Neither the name/is, spdx: 'BSD-3-Clause', name: 'BSD 3-Clause License' },
  { test: /Redistribution and use in source and binary forms/i, spdx: 'BSD-2-Clause', name: 'BSD 2-Clause License' },
  { test: /Anti-?Capitalist Software License/i, spdx: 'ACSL-1.4', name: 'Anti-Capitalist Software License' },
  { test: /This is free and unencumbered software released into the public domain/i, spdx: 'Unlicense', name: 'The Unlicense' },
  { test: /Creative Commons (?:Legal Code\s+)?CC0 1\.0|CC0 1\.0 Universal/i, spdx: 'CC0-1.0', name: 'CC0 1.0 Universal' },
];

/** Names a licence from its text (undefined when galley does not recognise it). */
export function identifyLicence(text: string): { spdx: string; name: string } | undefined {
  const head = text.slice(0, 4000);
  const found = LICENCES.find((l) => l.test.test(head));
  return found ? { spdx: found.spdx, name: found.name } : undefined;
}

/** A metadata field by any of its names (case-insensitive). */
function field(recipe: Recipe, ...names: string[]): string | undefined {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const value = recipe.readme?.metadata?.fields.find((f) => wanted.has(f.key.toLowerCase()))?.value.trim();
  return value || undefined;
}

/** `[name](url)`, `@user`, `name <mail>`, or a bare name → a maintainer. */
function parsePerson(text: string, forgeUser: (user: string) => string | undefined): Omit<Maintainer, 'from'> | undefined {
  const t = text.trim().replace(/^[*-]\s*/, '');
  if (!t) return undefined;
  const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(t);
  if (link) {
    const name = link[1]!.replace(/^@/, '').trim();
    return /^https?:\/\//i.test(link[2]!) ? { name, url: link[2]! } : { name };
  }
  const at = /^@([\w.-]+)$/.exec(t);
  if (at) {
    const url = forgeUser(at[1]!);
    return url ? { name: at[1]!, url } : { name: at[1]! };
  }
  const name = t.replace(/<[^>]*>/g, '').trim();
  return name ? { name } : undefined;
}

function addMaintainer(list: Maintainer[], person: Omit<Maintainer, 'from'>, from: Maintainer['from'][number]): void {
  const key = person.name.toLowerCase();
  const known = list.find((m) => m.name.toLowerCase() === key);
  if (!known) {
    list.push({ ...person, from: [from] });
    return;
  }
  if (!known.from.includes(from)) known.from.push(from);
  if (!known.url && person.url) known.url = person.url;
}

/** `[text](src "title")`, `![alt][ref]` with `[ref]: src`, and `<img src=…>`, in order of appearance. */
export function readmeImages(markdown: string): { src: string; alt: string }[] {
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  const refs = new Map<string, string>();
  for (const m of text.matchAll(/^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+["'(].*)?$/gm)) refs.set(m[1]!.toLowerCase(), m[2]!);
  const found: { at: number; src: string; alt: string }[] = [];
  for (const m of text.matchAll(/!\[([^\]]*)\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+["'][^"']*["'])?\s*\)/g)) {
    found.push({ at: m.index, src: (m[2] ?? m[3])!, alt: m[1]! });
  }
  for (const m of text.matchAll(/!\[([^\]]*)\]\[([^\]]*)\]/g)) {
    const src = refs.get((m[2] || m[1])!.toLowerCase());
    if (src) found.push({ at: m.index, src, alt: m[1]! });
  }
  for (const m of text.matchAll(/<img\b[^>]*>/gi)) {
    const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[0]);
    const alt = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(m[0]);
    const value = src?.[1] ?? src?.[2] ?? src?.[3];
    if (value) found.push({ at: m.index, src: value, alt: alt?.[1] ?? alt?.[2] ?? '' });
  }
  const seen = new Set<string>();
  const out: { src: string; alt: string }[] = [];
  for (const image of found.sort((a, b) => a.at - b.at)) {
    if (seen.has(image.src) || out.length >= MAX_README_IMAGES) continue;
    seen.add(image.src);
    out.push({ src: image.src, alt: image.alt.trim() });
  }
  return out;
}

const DEPRECATED_PHRASE =
  /\b(?:this (?:recipe|repo(?:sitory)?|app) (?:is|has been) (?:now )?(?:deprecated|unmaintained|archived|abandoned)|deprecated in favou?r of|no longer maintained)\b/i;
/** `DEPRECATED` in capitals, or `Deprecated:` opening a line or a callout. */
const DEPRECATED_CAPS = /\bDEPRECATED\b/;
const DEPRECATED_MARK = /^(?:[>*_#\s]|⚠️?)*deprecated\b\s*[:!-]/i;

/** Why the README says the recipe is deprecated, if it does (title, or a line among the first 40). */
function deprecatedByReadme(recipe: Recipe): string | undefined {
  const readme = recipe.readme;
  if (!readme) return undefined;
  if (readme.title && /\bdeprecated\b/i.test(readme.title)) return readme.title;
  let inFence = false;
  const lines = readme.text.split('\n').slice(0, 40);
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence || line.startsWith('<!--')) continue;
    if (DEPRECATED_PHRASE.test(line) || DEPRECATED_CAPS.test(line) || DEPRECATED_MARK.test(line))
      return line
        .replace(/[*_`]{1,3}/g, '')
        .replace(/^[>#\s]+|\s+$/g, '')
        .slice(0, 300);
  }
  return undefined;
}

export interface ExtrasContext {
  /** The recipe at its default branch. */
  recipe: Recipe;
  /** Release tags (their taggers are maintainers too). */
  tags: readonly GitTag[];
  /** The web URL of a forge user, for `@user` (e.g. `https://git.coopcloud.tech/<user>`). */
  forgeUser?: (user: string) => string | undefined;
}

export async function readRecipeExtras({ recipe, tags, forgeUser = () => undefined }: ExtrasContext): Promise<RecipeExtras> {
  const extras: RecipeExtras = { maintainers: [], images: [] };

  const licenceFile = recipe.files.filter((f) => LICENCE_FILE.test(f)).sort()[0];
  if (licenceFile) {
    const text = await recipe.source.read(licenceFile);
    const known = text === undefined ? undefined : identifyLicence(text);
    extras.licence = known ? { ...known, file: licenceFile } : { name: `see ${licenceFile}`, file: licenceFile };
  }
  const licenceField = field(recipe, 'License', 'Licence');
  if (licenceField && !extras.licence?.spdx) extras.licence = { name: licenceField.replace(/[`*]/g, '') };

  const people = field(recipe, 'Maintainer', 'Maintainers');
  if (people) {
    for (const part of people.split(/,(?![^[]*\])|\s+and\s+/)) {
      const person = parsePerson(part, forgeUser);
      if (person) addMaintainer(extras.maintainers, person, 'metadata');
    }
  }
  for (const file of CODEOWNERS) {
    if (!recipe.files.includes(file)) continue;
    const text = (await recipe.source.read(file)) ?? '';
    for (const line of text.split('\n')) {
      const content = line.replace(/#.*$/, '').trim();
      if (!content) continue;
      for (const owner of content.split(/\s+/).slice(1)) {
        const person = owner.startsWith('@')
          ? parsePerson(owner.replace(/\/.*$/, ''), forgeUser)
          : owner.includes('@')
            ? undefined
            : parsePerson(owner, forgeUser);
        if (person) addMaintainer(extras.maintainers, person, 'codeowners');
      }
    }
    break;
  }
  // Newest releases first: whoever tagged recently maintains it now.
  for (const tag of [...tags].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))) {
    if (tag.tagger) addMaintainer(extras.maintainers, { name: tag.tagger }, 'tagger');
  }

  const deprecatedField = field(recipe, 'Deprecated');
  const status = recipe.readme?.metadata?.status?.raw ?? '';
  if (deprecatedField && !/^(?:no|false|-|n\/a)$/i.test(deprecatedField)) extras.deprecated = { reason: deprecatedField, from: 'metadata' };
  else if (/\bdeprecated\b/i.test(status)) extras.deprecated = { reason: `Status: ${status}`, from: 'metadata' };
  else {
    const line = deprecatedByReadme(recipe);
    if (line) extras.deprecated = { reason: line, from: 'readme' };
  }

  const demo = field(recipe, 'Demo');
  const demoUrl = demo ? /https?:\/\/[^\s)>\]]+/i.exec(demo)?.[0] : undefined;
  if (demoUrl) extras.demo = demoUrl;

  if (recipe.readme) extras.images = readmeImages(recipe.readme.text);
  const icon = recipe.files
    .filter((f) => ICON_FILE.test(f))
    .sort((a, b) => (a.endsWith('.svg') === b.endsWith('.svg') ? (a < b ? -1 : 1) : a.endsWith('.svg') ? -1 : 1))[0];
  if (icon) extras.iconFile = icon;
  return extras;
}
