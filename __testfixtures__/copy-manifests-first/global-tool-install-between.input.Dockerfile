FROM node:22
WORKDIR /app
COPY . .
RUN npm i -g pnpm@9
RUN pnpm install --frozen-lockfile
RUN pnpm build
