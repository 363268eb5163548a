#!/usr/bin/env bash
# The vidgate CLI against a gateway (`npm start` prints its URL and, in sandbox mode, its key).
set -euo pipefail
export VIDGATE_URL="${VIDGATE_URL:-http://127.0.0.1:8787}"
export VIDGATE_API_KEY="${VIDGATE_API_KEY:-vidgate-sandbox-key}"

vidgate models
vidgate generate "a red fox running through snow" --model kling-2.5 --duration 5 --aspect-ratio 16:9 -o fox.mp4

# Start a job without waiting (the job id is printed), then wait for it and save the video.
job=$(vidgate generate "a lighthouse at dusk" --model kling-2.5 --no-wait)
vidgate jobs get "$job" -o lighthouse.mp4

vidgate jobs list --limit 5
