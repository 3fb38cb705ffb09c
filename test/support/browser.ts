// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
// playwright-core downloads no browser; we point it at Debian's binary.
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserOptions {
  /** Extra Chromium flags, after CHROMIUM_ARGS. */
  args?: string[];
  /** Default true. */
  headless?: boolean;
  /** Launch timeout (default 30000 ms). */
  timeoutMs?: number;
}

/**
 * Launches Chromium; the caller closes it (`await browser.close()` in afterAll).
 * Playwright gives each launch a fresh temporary profile (user-data-dir) and
 * removes it on close; it also kills the browser if the test process exits.
 */
export async function browser(options: BrowserOptions = {}): Promise<Browser> {
  const launch: LaunchOptions = {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    timeout: options.timeoutMs ?? 30_000,
  };
  try {
    return await chromium.launch(launch);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`could not launch ${CHROMIUM_PATH} (apt-get install chromium, or run scripts/provision.sh): ${why}`);
  }
}

export type { Browser, Page } from 'playwright-core';
