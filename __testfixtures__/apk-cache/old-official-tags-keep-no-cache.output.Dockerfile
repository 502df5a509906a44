FROM nginx:1.10-alpine
RUN apk add --no-cache curl

FROM node:8.9.4-alpine
RUN apk add --no-cache git

FROM node:8-alpine
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apk --cache-dir /var/cache/apk -U add git
