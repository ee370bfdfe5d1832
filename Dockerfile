FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
COPY config ./config
RUN mkdir -p data && chown node:node data
ENV NODE_ENV=production NEWSWATCH_CONFIG=/config
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
