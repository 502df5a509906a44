FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apkArch="$(apk --print-arch)" && apk --cache-dir /var/cache/apk -U add curl && echo "$apkArch"
