FROM golang:1.22
RUN mkdir /go/pkg && go mod download
