FROM node:22
COPY package.json package-lock.json /app/
WORKDIR /app
RUN npm ci --omit=dev
COPY . /app
RUN npm run build
