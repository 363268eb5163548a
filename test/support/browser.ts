/**
 * Pages in a real browser: Debian's Chromium (`/usr/bin/chromium`), headless, driven by
 * playwright-core. One browser per test file (launched in beforeAll, closed in afterAll), a new
 * page in its own context per call. Every request that would leave loopback is aborted and
 * recorded, so a test can prove that a page works with no network at all.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/**
 * The browser's flags. Background networking, component updates, sync and QUIC are off so the
 * browser itself sends nothing. Playwright adds a fresh temporary `--user-data-dir` of its own
 * (it refuses one here) and deletes it when the browser closes.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');

export interface PageOptions {
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
}

/** A page and what it did that a test may want to assert never happened. */
export interface BrowserPage {
  page: Page;
  /** Requests aborted because they were not for loopback, as `METHOD url`. */
  blocked: string[];
  /** Console errors (including Content-Security-Policy refusals) and uncaught exceptions. */
  errors: string[];
}

export interface BrowserSession {
  /** A new page in a new context, with the loopback-only network; closed after the test. */
  newPage(options?: PageOptions): Promise<BrowserPage>;
}

/** `127.0.0.0/8`, `localhost` or `[::1]`. */
export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Launches Chromium, or fails naming the command that installs it (the browser tests never skip). */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not installed (${executablePath} is missing); the browser tests need it. Install it with: ${CHROMIUM_INSTALL_COMMAND}`);
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS] });
}

/** Aborts and records every request and WebSocket that is not for loopback. */
async function allowOnlyLoopback(page: Page, blocked: string[]): Promise<void> {
  await page.route('**/*', (route) => {
    const request = route.request();
    if (isLoopback(request.url())) return route.continue();
    blocked.push(`${request.method()} ${request.url()}`);
    return route.abort('internetdisconnected');
  });
  await page.routeWebSocket(/.*/, (socket) => {
    if (isLoopback(socket.url())) return socket.connectToServer();
    blocked.push(`WEBSOCKET ${socket.url()}`);
    return socket.close();
  });
}

function collectErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
}

/** One browser for the test file; each `newPage()` context is closed after its test. */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage(options = {}) {
      if (!browser) throw new Error('useBrowser(): the browser did not start (see the beforeAll error)');
      const { context, ...result } = await openOfflinePage(browser, options);
      open.push(context);
      return result;
    },
  };
}

/** A new page in a new context with the loopback-only network (for scripts; tests use {@link useBrowser}). The caller closes `context`. */
export async function openOfflinePage(browser: Browser, options: PageOptions = {}): Promise<BrowserPage & { context: BrowserContext }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const result: BrowserPage & { context: BrowserContext } = { context, page, blocked: [], errors: [] };
  await allowOnlyLoopback(page, result.blocked);
  collectErrors(page, result.errors);
  return result;
}

/** Saves a screenshot of the viewport (or the whole page) as `test-artifacts/<name>.png`; returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}
