FROM node:22
WORKDIR /app
COPY . .
RUN pnpm fetch --prod
RUN pnpm install -r --offline --prod
