FROM alpine:3.20 AS build
RUN apk add --root /rootfs --initdb --no-cache --keys-dir /etc/apk/keys --repositories-file /etc/apk/repositories busybox
FROM scratch
COPY --from=build /rootfs /
