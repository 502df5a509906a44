FROM node:22
RUN npm ci --omit=dev && npm cache clean --force
