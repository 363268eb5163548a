# vidgate on Node 24, from a production install: package.json's "dependencies" only (no tests, no
# Workers tooling, no dev Node). See "Running in production" in README.md.
#
#   docker build -t vidgate .
#   docker run --rm -p 8787:8787 -e GATEWAY_API_KEYS=… -e JOB_ID_SECRET=… -e KREA_API_KEY=… vidgate
FROM node:24-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    VIDGATE_DATA_DIR=/data

WORKDIR /app

# Dependencies first, so this layer is reused while only the source changes. No dependency needs
# an install script, so none is run.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# What `node src/node.ts` loads (test/unit/node/runtime-dependencies.test.ts checks that this is all of it).
COPY src ./src
COPY providers ./providers

# The code stays root's and read-only to the gateway; the data folder is the one place it may write.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

EXPOSE 8787
# The gateway handles SIGTERM (docker stop) itself: it stops accepting, lets requests in flight
# finish for SHUTDOWN_GRACE_MS (8 s by default, under docker stop's 10 s), and exits 0.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8's young generation capped at 16 MB semi-spaces, as `npm start` runs it: on a large machine V8
# grows it to 64 MB each under load, about 60 MB more RSS for no measurable CPU (README, Performance).
CMD ["node", "--max-semi-space-size=16", "src/node.ts"]
