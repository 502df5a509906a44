FROM node:22-slim
WORKDIR /app
COPY --link . ./
RUN npm ci --omit=dev
CMD ["node", "index.js"]
