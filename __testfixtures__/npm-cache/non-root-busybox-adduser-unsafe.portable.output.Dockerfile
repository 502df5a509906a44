FROM node:22-alpine
RUN addgroup -g 1001 -S app && adduser -S -u 1001 -G app -h /home/app app
USER app
WORKDIR /home/app
RUN npm ci && npm cache clean --force
