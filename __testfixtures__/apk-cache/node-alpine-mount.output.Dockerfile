FROM node:20-alpine3.19
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apk --cache-dir /var/cache/apk -U add git python3 make g++
