// Why this config looks the way it does:
// - Galley is native ESM and some dependencies (octokit, eta, marked) ship
//   only ESM, so jest runs in its ESM mode: `npm test` starts node with
//   --experimental-vm-modules and `.ts` files are treated as ESM.
// - TypeScript is stripped by @swc/jest (fast, no type checking: `tsc -b`
//   in `npm run build` is the type check), emitting ES modules.
// - Sources import siblings as `./x.js` (what NodeNext wants); the first
//   mapper strips that so jest finds `./x.ts`.
// - Workspace packages resolve through the `source` condition of their
//   package.json exports, so tests run against the sources without a build
//   step in between.
// - Two projects: `unit` (beside the code, fast, no services) and
//   `integration` (test/, starts real docker, registry, git, chromium).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  // `./x.js` → `./x.ts` for the sources' NodeNext-style relative imports.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Workspace packages resolve through their `source` export condition (each
  // package.json declares it), so new subpath exports need no mapping here.
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  testEnvironment: 'node',
  // dist/galley is the built package (tests run it as a program, never import it).
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

export default {
  // Jest's 5 s default fails tests on a busy shared machine (several CLI runs,
  // a 200-recipe build); no test may depend on the machine being idle.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/rules/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
