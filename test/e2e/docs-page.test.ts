/**
 * `/docs` in headless Chromium with no network: every request outside loopback is aborted, so the
 * reference can only render if the gateway serves everything it needs. Also without JavaScript,
 * where the page must still lead to the OpenAPI document.
 */
import { describe, expect, it } from 'vitest';
import { servedDocument } from '../support/contract.ts';
import { CHROMIUM_INSTALL_COMMAND, launchChromium, saveScreenshot, useBrowser } from '../support/browser.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack();
const browser = useBrowser();

/** An operation's summary, as the document gives it. */
const summaryOf = (path: string, method: 'get' | 'post') => servedDocument.paths![path]![method]!.summary!;
/** The API's operations as the rendered reference must show them: "Create a job", "Poll a job", "List models". */
const OPERATION_SUMMARIES = [summaryOf('/v1/jobs', 'post'), summaryOf('/v1/jobs/{id}', 'get'), summaryOf('/v1/models', 'get')];

describe('the API reference in a browser with no network', () => {
  it('renders the API\'s operations from the gateway\'s own files, with no request leaving loopback', { timeout: 60_000 }, async () => {
    const { page, blocked, errors } = await browser.newPage();
    const loaded: string[] = [];
    page.on('response', (response) => loaded.push(`${response.status()} ${new URL(response.url()).pathname}`));
    await page.goto(`${stack.gateway.url}/docs`);
    for (const summary of OPERATION_SUMMARIES) {
      await page.getByText(summary, { exact: true }).first().waitFor({ state: 'visible', timeout: 45_000 });
    }
    const screenshot = await saveScreenshot(page, 'docs');
    console.log(`docs page rendered ${OPERATION_SUMMARIES.join(', ')}; loaded ${loaded.join(', ')}; screenshot ${screenshot}`);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(/^200 \/docs\/assets\/[^/]+\/standalone\.js$/), '200 /openapi.json']));
    expect(OPERATION_SUMMARIES).toEqual(['Create a job', 'Poll a job', 'List models']);
  });

  it('keeps the asset route out of the rendered reference (it is x-internal)', { timeout: 60_000 }, async () => {
    const { page, blocked } = await browser.newPage();
    await page.goto(`${stack.gateway.url}/docs`);
    await page.getByText(summaryOf('/openapi.json', 'get'), { exact: true }).first().waitFor({ state: 'visible', timeout: 45_000 });
    await expect(page.getByText(summaryOf('/docs/assets/{version}/{file}', 'get')).count()).resolves.toBe(0);
    expect(blocked).toEqual([]);
  });

  it('shows a heading and the link to /openapi.json with JavaScript disabled', async () => {
    const { page, blocked } = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${stack.gateway.url}/docs`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('vidgate API reference');
    const links = page.locator('a[href="/openapi.json"]');
    await expect(links.first().isVisible()).resolves.toBe(true);
    await expect(page.locator('body').innerText()).resolves.toContain('The interactive reference needs JavaScript.');
    await links.first().click();
    await page.waitForURL('**/openapi.json');
    expect(JSON.parse(await page.locator('body').innerText())).toEqual(servedDocument);
    expect(blocked).toEqual([]);
  });
});

describe('the test browser', () => {
  it('aborts and records a request that would leave loopback', async () => {
    const { page, blocked } = await browser.newPage();
    await page.goto(`${stack.gateway.url}/healthz`);
    // A reserved name that never resolves: had the block failed, nothing could be reached anyway.
    const outcome = await page.evaluate(() => fetch('https://cdn.example.invalid/probe.js').then(() => 'loaded', () => 'failed'));
    expect(outcome).toBe('failed');
    expect(blocked).toEqual(['GET https://cdn.example.invalid/probe.js']);
  });

  it('fails with the install command when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(CHROMIUM_INSTALL_COMMAND);
  });
});
