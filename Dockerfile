# newswatch: build, then a slim runtime image that runs as the unprivileged `node` user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# No install scripts (npm 11 refuses unapproved ones anyway); `prepare` builds below, once src is there.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY src ./src
COPY workers ./workers
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The shipped config works as it is (console channel); mount your own over /app/config.
COPY config ./config
RUN mkdir -p data && chown node:node data
ENV NODE_ENV=production NEWSWATCH_CONFIG=/app/config NEWSWATCH_LOG_JSON=1
USER node
# Operator endpoints (/healthz, /readyz, /metrics, status page). Inside the container they listen on
# loopback unless `--http 0.0.0.0:9464` (which needs http.auth, see docker-compose.yml).
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
