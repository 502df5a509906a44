FROM alpine:3.20
RUN apk upgrade \
    && apk add --virtual .build-deps \
        gcc \
        musl-dev
