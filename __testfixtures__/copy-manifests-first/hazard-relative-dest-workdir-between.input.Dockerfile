FROM node:22
WORKDIR /app
COPY . .
WORKDIR /app/web
RUN npm ci
