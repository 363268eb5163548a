/**
 * `npm run screenshot:playground`: the README's picture of `/playground` (docs/playground.png), taken
 * from the real page: the sandbox gateway (emulated providers on loopback, as `npm start` runs with no
 * provider key) and headless Chromium with every non-loopback request blocked, a job generated to the
 * end and its video loaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providers } from '../providers/index.ts';
import { startGateway } from '../src/node/start.ts';
import { launchChromium, openOfflinePage } from '../test/support/browser.ts';
import { connect, fillJobForm, waitForVideo } from '../test/support/playground.ts';

const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/playground.png');
const JOB = { model: 'kling-2.5', prompt: 'A lighthouse on a cliff at dusk, waves breaking below', duration: '10', aspectRatio: '16:9' };

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vidgate-screenshot-'));
  // A fresh environment, not this process's: no provider key means the sandbox. Short steps and polls keep the run brief.
  const gateway = await startGateway({ env: { VIDGATE_DATA_DIR: dataDir, SANDBOX_STEP_MS: '300', POLL_INTERVAL_MS: '300' }, providers, port: 0, log: () => {} });
  const browser = await launchChromium();
  try {
    const { page, blocked, errors } = await openOfflinePage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${gateway.url}/playground`);
    await connect(page, gateway.sandbox!.gatewayKey);
    await fillJobForm(page, JOB);
    await page.getByRole('button', { name: 'Generate' }).click();
    await waitForVideo(page, HTMLMediaElementHaveCurrentData);
    await showFrameAt(page, 0.5);
    await page.screenshot({ path: OUTPUT, fullPage: true });
    if (blocked.length > 0 || errors.length > 0) throw new Error(`the page misbehaved: blocked ${blocked.join(', ') || 'nothing'}; errors ${errors.join(', ') || 'none'}`);
    console.log(`Wrote ${OUTPUT}`);
  } finally {
    await browser.close();
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `HTMLMediaElement.HAVE_CURRENT_DATA`: a frame is there to be painted. */
const HTMLMediaElementHaveCurrentData = 2;

/** Seeks the video so the picture shows the clip rather than its (blank) first frame. */
async function showFrameAt(page: import('playwright-core').Page, seconds: number): Promise<void> {
  await page.evaluate(
    (at) =>
      new Promise<void>((done) => {
        const video = document.querySelector('video')!;
        video.addEventListener('seeked', () => done(), { once: true });
        video.currentTime = at;
      }),
    seconds,
  );
}

await main();
