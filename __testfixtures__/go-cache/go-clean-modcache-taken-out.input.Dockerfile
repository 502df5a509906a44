FROM golang:1.22
COPY go.mod go.sum ./
RUN go mod download && go build ./... && go clean -modcache
