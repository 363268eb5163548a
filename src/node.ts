/** Node entry: `npm start`. Everything runtime-specific lives in src/node/; this only wires the process. */
import { providers } from '../providers/index.ts';
import { ConfigError } from './config.ts';
import { startGateway, type RunningGateway } from './node/start.ts';

async function main(): Promise<void> {
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({ env: process.env, providers, port: Number(process.env.PORT ?? 8787), hostname: process.env.HOST ?? '127.0.0.1' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  console.error(gateway.sandbox ? sandboxBanner(gateway) : `vidgate listening on ${gateway.url}`);
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function sandboxBanner(gateway: RunningGateway): string {
  const { gatewayKey, emulators } = gateway.sandbox!;
  return [
    '',
    '  vidgate is running in SANDBOX mode: no provider key is set, so every provider is emulated',
    '  on loopback. Jobs are fake and free; the videos are a 1-second test clip.',
    '',
    `  Gateway:      ${gateway.url}`,
    `  Gateway key:  ${gatewayKey}   (Authorization: Bearer ${gatewayKey})`,
    ...emulators.map(({ provider, url }) => `  ${`${provider.title}:`.padEnd(13)} emulated at ${url}`),
    '',
    `  Try:  curl -s ${gateway.url}/v1/models -H 'Authorization: Bearer ${gatewayKey}'`,
    `  Set ${providers.map((provider) => provider.env.apiKey).join(' and/or ')} (plus GATEWAY_API_KEYS and JOB_ID_SECRET) to use the real providers.`,
    '',
  ].join('\n');
}

await main();
