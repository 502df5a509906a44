FROM registry.fedoraproject.org/fedora-minimal:41
RUN microdnf install -y git && microdnf clean all
