FROM node:22
RUN --mount=type=cache,target=/root/.npm \
    npm ci \
    && npm run build
