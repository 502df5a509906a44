FROM node:22
ENV npm_config_cache=/tmp/npm-cache
RUN npm install && npm cache clean --force
