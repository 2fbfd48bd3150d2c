# Paperboy's container image: `podman build -t paperboy .` (or `docker build`). The first stage
# installs the production dependencies, compiling the native ones (better-sqlite3, usearch) against
# the image's own Node headers, and compiles the TypeScript (`npm ci` runs `prepare`); the second
# holds only what runs. docs/deploy.md has the compose file, a systemd unit and a reverse proxy.
# BUILDER and RUNTIME name other bases (test/container.test.ts builds from Debian packages).
ARG BUILDER=docker.io/library/node:20-bookworm
ARG RUNTIME=docker.io/library/node:20-bookworm-slim

FROM ${BUILDER} AS build
WORKDIR /app
ENV npm_config_nodedir=/usr/local
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf data

FROM ${RUNTIME}
WORKDIR /app
COPY --from=build /app /app
# Everything the instance writes lives in /data: the SQLite database (unless DATABASE_URL names a
# PostgreSQL server), its vector graph, downloaded models, and mails written as files.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/paperboy.db \
    MODEL_CACHE_DIR=/data/models \
    OUTBOX_DIR=/data/outbox
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "bin/paperboy.js"]
CMD ["serve"]
