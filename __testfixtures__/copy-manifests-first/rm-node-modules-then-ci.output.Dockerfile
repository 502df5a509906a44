FROM node:22
WORKDIR /app
COPY package.json package-lock.json ./
RUN rm -rf node_modules && npm ci
COPY . .
