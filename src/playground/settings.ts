/**
 * The only part of the playground page that varies: what it states about the gateway serving it.
 * The page itself (page.ts, with its script) is built once per build; each app fills these slots in
 * it. Kept apart from page.ts so that filling the page does not bring the page's builder along
 * (the Worker reads the built page from its static assets).
 */

/** What the page states about the gateway it is served by (read by the script from data attributes, so the script's hash stays fixed). */
export interface PlaygroundSettings {
  /** `MAX_IMAGE_BYTES`: larger files are refused before they are uploaded. */
  maxImageBytes: number;
  /** The media types an inline image may have (the file picker's `accept`). */
  imageTypes: readonly string[];
}

/** The placeholders the built page has where the settings go (inside attribute values; nothing else in the page looks like them). */
export const PLAYGROUND_SLOTS = { maxImageBytes: '%MAX_IMAGE_BYTES%', imageTypes: '%IMAGE_TYPES%' } as const;

/** The page for these settings (numbers and media types: nothing that needs escaping in an attribute). */
export function fillPlaygroundPage(html: string, settings: PlaygroundSettings): string {
  return html.replace(PLAYGROUND_SLOTS.maxImageBytes, String(settings.maxImageBytes)).replace(PLAYGROUND_SLOTS.imageTypes, settings.imageTypes.join(','));
}
