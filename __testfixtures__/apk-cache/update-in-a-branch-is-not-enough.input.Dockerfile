FROM alpine:3.20
RUN if [ -n "$REFRESH" ]; then apk update; fi \
    && apk add --no-cache curl \
    && apk add --no-cache git
