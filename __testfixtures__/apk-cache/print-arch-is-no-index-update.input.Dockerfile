FROM alpine:3.20
RUN apkArch="$(apk --print-arch)" && apk add --no-cache curl && echo "$apkArch"
