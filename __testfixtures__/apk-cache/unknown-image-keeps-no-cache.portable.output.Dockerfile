ARG BASE
FROM ${BASE}
RUN apk add --no-cache curl
