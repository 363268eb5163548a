/** The Node process: settings, the gateway, signals, the startup banner (src/node.ts loads this once the compile cache is on). */
import { providers } from '../../providers/index.ts';
import { describeStartupFailure, gracefulStop, readProcessSettings, stopOnSignals, stopWhenNpmExits, type ProcessSettings } from './process-lifecycle.ts';
import { startGateway, type RunningGateway } from './start.ts';

async function main(): Promise<void> {
  let settings: ProcessSettings;
  let gateway: RunningGateway;
  try {
    settings = readProcessSettings(process.env);
    gateway = await startGateway({ env: process.env, providers, port: settings.port, hostname: settings.hostname });
  } catch (error) {
    const message = describeStartupFailure(error);
    if (message === undefined) throw error;
    console.error(message);
    process.exit(1);
  }
  const stop = gracefulStop(gateway, settings.shutdownGraceMs);
  stopOnSignals(stop);
  stopWhenNpmExits(stop);
  // Printed once the signals are handled: whoever waits for this line may stop the process at once.
  console.error(gateway.sandbox ? sandboxBanner(gateway) : `vidgate listening on ${gateway.url} (jobs: ${gateway.store}; videos: ${gateway.outputs})`);
}

function sandboxBanner(gateway: RunningGateway): string {
  const { gatewayKey, webhookSecret, emulators } = gateway.sandbox!;
  return [
    '',
    '  vidgate is running in SANDBOX mode: no provider key is set, so every provider is emulated',
    '  on loopback. Jobs are fake and free; the videos are a 1-second test clip.',
    '',
    `  Gateway:      ${gateway.url}`,
    `  Playground:   ${gateway.url}/playground`,
    `  Gateway key:  ${gatewayKey}   (Authorization: Bearer ${gatewayKey})`,
    `  Jobs:         ${gateway.store}`,
    `  Videos:       ${gateway.outputs}`,
    `  Webhooks:     signed with ${webhookSecret} (a development secret)`,
    ...emulators.map(({ provider, url }) => `  ${`${provider.title}:`.padEnd(13)} emulated at ${url}`),
    '',
    `  Try:  curl -s ${gateway.url}/v1/models -H 'Authorization: Bearer ${gatewayKey}'`,
    `  Set ${providers.map((provider) => provider.env.apiKey).join(' and/or ')} (plus GATEWAY_API_KEYS and JOB_ID_SECRET) to use the real providers.`,
    '',
  ].join('\n');
}

await main();
