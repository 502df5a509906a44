FROM node:22-alpine
RUN addgroup -g 1001 -S app && adduser -S -u 1001 -G app -h /home/app app
USER app
WORKDIR /home/app
RUN --mount=type=cache,target=/home/app/.npm,uid=1001,gid=1001 \
    npm ci
