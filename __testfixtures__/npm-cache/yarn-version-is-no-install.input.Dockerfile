FROM node:20
RUN node --version && yarn --version
