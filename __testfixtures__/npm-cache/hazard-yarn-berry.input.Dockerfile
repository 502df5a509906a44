FROM node:22
RUN corepack enable
RUN yarn install --immutable
