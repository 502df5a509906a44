FROM node:22
COPY package.json .
