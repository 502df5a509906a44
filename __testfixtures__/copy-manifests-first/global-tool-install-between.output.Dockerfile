FROM node:22
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm i -g pnpm@9
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build
