// Test support for Galley's integration tests (test/**): real services on
// loopback, started and stopped by the tests themselves. Provision the
// machine first with scripts/provision.sh (docker engine + swarm, registry,
// skopeo, chromium, busybox-static, git).

export * from './browser.js';
export * from './engine-b.js';
export * from './forge-doubles.js';
export * from './git-http.js';
export * from './gitserver.js';
export * from './http.js';
export * from './net.js';
export * from './process.js';
export * from './pty.js';
export * from './registry.js';
export * from './registry-proxy.js';
export * from './swarm.js';
