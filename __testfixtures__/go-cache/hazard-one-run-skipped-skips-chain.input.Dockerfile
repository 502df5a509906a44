FROM golang:1.23
RUN go mod download
USER nobody
RUN go build ./...
