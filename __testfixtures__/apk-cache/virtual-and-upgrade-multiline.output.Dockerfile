FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apk --cache-dir /var/cache/apk -U upgrade \
    && apk --cache-dir /var/cache/apk add --virtual .build-deps \
        gcc \
        musl-dev
