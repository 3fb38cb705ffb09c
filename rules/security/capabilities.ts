import type { Rule } from '@galley/linter';
import { get, isScalar, isSeq, scalarString, services } from '@galley/recipe';

/** Capabilities that amount to (or easily lead to) control of the host. */
export const BROAD_CAPABILITIES: Record<string, string> = {
  ALL: 'every capability, as good as privileged',
  SYS_ADMIN: 'mounts, namespaces and most of what root can do: an easy container escape',
  NET_ADMIN: 'reconfiguring interfaces, routes and firewall rules of its network namespace',
  SYS_PTRACE: 'tracing processes, reading their memory and secrets',
  SYS_MODULE: 'loading kernel modules: full control of the host',
  SYS_RAWIO: 'raw access to devices and memory',
  SYS_BOOT: 'rebooting the host',
  SYS_TIME: "changing the host's clock",
  DAC_READ_SEARCH: 'reading any file it can reach, bypassing permissions (a known escape)',
  MAC_ADMIN: 'changing AppArmor/SELinux policy',
  MAC_OVERRIDE: 'bypassing AppArmor/SELinux policy',
  BPF: 'loading BPF programs into the kernel',
  PERFMON: 'kernel performance monitoring',
  SYSLOG: 'reading kernel logs (addresses that help exploits)',
};

const rule: Rule = {
  meta: {
    id: 'security/capabilities',
    severity: 'warning',
    category: 'security',
    description: 'No service adds broad Linux capabilities (ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, …).',
    docs: {
      why: "Containers run with a small set of capabilities on purpose. `cap_add: [ALL]` is as good as `privileged`, `SYS_ADMIN` is the classic container escape, `SYS_PTRACE` reads other processes' memory, `NET_ADMIN` lets the service rewrite its networking. A compromised service keeps whatever the recipe granted it.",
      fix: "Drop the capability if the app works without it, or replace it with the narrow one it needs (e.g. `NET_BIND_SERVICE` to bind ports below 1024). When a broad capability is really needed (a VPN needs `NET_ADMIN`), add it to the rule's `allow` option or silence the line with a reason.",
      wrong: 'services:\n  app:\n    image: example/app:1.0.0\n    cap_add:\n      - SYS_ADMIN\n',
      right: 'services:\n  app:\n    image: example/app:1.0.0\n    cap_add:\n      - NET_BIND_SERVICE\n',
    },
    messages: { broad: 'service "{{service}}" adds capability {{capability}}: {{meaning}}' },
    options: {
      type: 'object',
      properties: { allow: { type: 'array', items: { type: 'string' }, description: 'Capabilities not to report (without the CAP_ prefix).' } },
      additionalProperties: false,
    },
    defaultOptions: { allow: [] },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const allow = new Set(((context.options.allow as string[] | undefined) ?? []).map((c) => c.toUpperCase().replace(/^CAP_/, '')));
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        const caps = get(service.node, 'cap_add');
        if (!isSeq(caps)) continue;
        for (const item of caps.items) {
          if (!isScalar(item)) continue;
          const capability = (scalarString(item) ?? '').trim().toUpperCase().replace(/^CAP_/, '');
          const meaning = BROAD_CAPABILITIES[capability];
          if (!meaning || allow.has(capability)) continue;
          context.report({ messageId: 'broad', node: item, data: { service: service.name, capability, meaning } });
        }
      }
    }
  },
};

export default rule;
