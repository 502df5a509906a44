FROM node:20-alpine3.19
RUN apk add --no-cache git python3 make g++ \
    && rm -rf /var/cache/apk/*
