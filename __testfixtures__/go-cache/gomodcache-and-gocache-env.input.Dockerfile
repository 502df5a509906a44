FROM golang:1.23
ENV GOMODCACHE=/cache/mod GOCACHE=/cache/build
RUN go build -o /app .
