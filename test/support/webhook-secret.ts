/** The Standard Webhooks secret the tests give the gateway (`whsec_` + base64), for every runtime. */
export const TEST_WEBHOOK_SECRET_TEXT = `whsec_${btoa('vidgate test webhook secret 0123')}`;
