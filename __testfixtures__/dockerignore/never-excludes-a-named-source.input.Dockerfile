FROM node:22
WORKDIR /app
COPY node_modules/x ./vendor/
COPY . .
