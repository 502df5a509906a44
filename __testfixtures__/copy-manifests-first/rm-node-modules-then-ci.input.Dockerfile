FROM node:22
WORKDIR /app
COPY . .
RUN rm -rf node_modules && npm ci
