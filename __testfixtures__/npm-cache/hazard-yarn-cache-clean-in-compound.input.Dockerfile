FROM node:20
RUN if [ -f yarn.lock ]; then yarn install && yarn cache clean; fi
