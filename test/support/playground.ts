/**
 * Driving `/playground` in a browser the way a person does, through its labels (shared by the
 * browser tests and `npm run screenshot:playground`).
 */
import type { Locator, Page } from 'playwright-core';

export interface JobChoices {
  model: string;
  prompt: string;
  /** Option values, as `GET /v1/models` lists them (`'10'`, `'9:16'`). */
  duration?: string;
  aspectRatio?: string;
}

/** Pastes the key and loads the models; resolves once the job form shows. */
export async function connect(page: Page, key: string): Promise<void> {
  await page.getByLabel('Gateway key').fill(key);
  await page.getByRole('button', { name: 'Load models' }).click();
}

/** Chooses the model first (the other controls depend on it), then the rest. */
export async function fillJobForm(page: Page, choices: JobChoices): Promise<void> {
  await page.getByLabel('Model').selectOption(choices.model);
  await page.getByLabel('Prompt').fill(choices.prompt);
  if (choices.duration !== undefined) await page.getByLabel('Duration (seconds)').selectOption(choices.duration);
  if (choices.aspectRatio !== undefined) await page.getByLabel('Aspect ratio').selectOption(choices.aspectRatio);
}

/** The values of a select's options, in order. */
export function optionValues(select: Locator): Promise<string[]> {
  return select.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
}

export interface LoadedVideo {
  src: string;
  readyState: number;
  duration: number;
}

/** Waits until the page's `<video>` has loaded at least its metadata (`readyState` ≥ `minReadyState`). */
export async function waitForVideo(page: Page, minReadyState = 1, timeout = 30_000): Promise<LoadedVideo> {
  const handle = await page.waitForFunction(
    (min) => {
      const video = document.querySelector('video');
      return video && video.readyState >= min ? { src: video.currentSrc, readyState: video.readyState, duration: video.duration } : false;
    },
    minReadyState,
    { timeout },
  );
  return (await handle.jsonValue()) as LoadedVideo;
}
