FROM node:22
USER node
RUN npm ci && npm cache clean --force
