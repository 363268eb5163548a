/**
 * Waiting for a job the way the gateway offers: `Prefer: wait=N` long-polls, each held until the
 * job is over or N seconds have passed, so a job that takes minutes costs a few requests.
 */
import { APICallError } from '@ai-sdk/provider';
import { delay } from '@ai-sdk/provider-utils';
import { isTerminal, readJob, type CallContext, type GatewayConfig, type JobAnswer } from './gateway-api.ts';
import { VidgateJobError } from './vidgate-job-error.ts';

export async function waitForJob(config: GatewayConfig, started: JobAnswer, call: CallContext & { timeoutMs: number; waitSeconds: number }): Promise<JobAnswer> {
  const deadline = Date.now() + call.timeoutMs;
  let current = started;
  while (!isTerminal(current.job)) {
    const remainingSeconds = Math.ceil((deadline - Date.now()) / 1000);
    if (remainingSeconds <= 0) throw VidgateJobError.ofTimeout(current.job, call.timeoutMs);
    const waitSeconds = Math.min(call.waitSeconds, remainingSeconds);
    current = await withTransientRetries(() => readJob(config, current.job.id, { ...call, waitSeconds }), call.abortSignal);
  }
  return current;
}

const RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

/**
 * Once the job exists, a transient failure (a 5xx, a dropped connection) is retried here, and what
 * still fails is passed on as not retryable: the AI SDK retries a retryable error by calling
 * `doGenerate` again, which would create (and pay for) a second job.
 */
export async function withTransientRetries<T>(call: () => Promise<T>, abortSignal: AbortSignal | undefined): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryIn = RETRY_DELAYS_MS[attempt];
      if (!APICallError.isInstance(error) || !error.isRetryable) throw error;
      if (retryIn === undefined) throw notRetryable(error);
      await delay(retryIn, { abortSignal });
    }
  }
}

function notRetryable(error: APICallError): APICallError {
  return new APICallError({
    message: error.message,
    url: error.url,
    requestBodyValues: error.requestBodyValues,
    statusCode: error.statusCode,
    responseHeaders: error.responseHeaders,
    responseBody: error.responseBody,
    data: error.data,
    cause: error,
    isRetryable: false,
  });
}
