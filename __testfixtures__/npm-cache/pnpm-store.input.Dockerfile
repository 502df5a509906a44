FROM node:22
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
