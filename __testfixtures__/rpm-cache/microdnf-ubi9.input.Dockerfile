FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y tar gzip && microdnf clean all
