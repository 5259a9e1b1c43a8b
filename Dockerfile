# syntax=docker/dockerfile:1
# The app as one container: `npm start`'s Node server (Server Events straight from Node, pages from
# Next in the same process). Build: docker build -t server-events .   See docs/deploy.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && rm -rf .next/cache

# Production dependencies only: the Node server's bundle keeps node_modules external.
FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/db/migrations ./db/migrations
COPY package.json next.config.mjs ./
# Next writes its image and fetch caches under .next/cache; nothing else is written.
RUN mkdir -p .next/cache && chown -R node:node .next/cache
USER node
EXPOSE 3000
# Liveness only: /readyz (the database answers) is for the load balancer, not for restarts.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains (docs/deploy.md, "Rolling restarts"); give it SSE_SHUTDOWN_TIMEOUT_MS plus a margin.
STOPSIGNAL SIGTERM
# What `npm start` runs, without npm in between: npm does not forward SIGTERM reliably.
CMD ["node", ".next/fast-server/server.mjs"]
