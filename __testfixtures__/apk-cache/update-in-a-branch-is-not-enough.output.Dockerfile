FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    if [ -n "$REFRESH" ]; then apk update; fi \
    && apk --cache-dir /var/cache/apk -U add curl \
    && apk --cache-dir /var/cache/apk add git
