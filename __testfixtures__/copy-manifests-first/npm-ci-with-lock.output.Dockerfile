FROM node:22-slim
WORKDIR /app
COPY --link package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --link . ./
CMD ["node", "index.js"]
