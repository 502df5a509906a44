FROM nginx:1.10-alpine
RUN apk add --no-cache curl

FROM node:8.9.4-alpine
RUN apk add --no-cache git

FROM node:8-alpine
RUN apk add --no-cache git
