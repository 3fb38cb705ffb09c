export * from './diff.js';
export * from './format.js';
export * from './load.js';
export * from './snapshot.js';
export * from './summary.js';
