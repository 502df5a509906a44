FROM rockylinux:9
# Build tools
RUN dnf install -y \
        gcc \
        make \
    && dnf clean all
