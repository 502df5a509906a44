FROM node:22
COPY . /app
WORKDIR /app
RUN npm ci --omit=dev
RUN npm run build
