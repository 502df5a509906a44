ARG BASE
FROM ${BASE}
RUN apk add curl
