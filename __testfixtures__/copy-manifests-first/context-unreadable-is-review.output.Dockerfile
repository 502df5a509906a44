FROM node:22
WORKDIR /app
COPY package.json package-lock.jso[n] npm-shrinkwrap.jso[n] .npmr[c] ./
RUN npm ci
COPY . .
