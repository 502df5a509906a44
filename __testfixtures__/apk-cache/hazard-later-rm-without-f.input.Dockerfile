FROM alpine:3.20
RUN apk add curl
RUN rm /var/cache/apk/*
